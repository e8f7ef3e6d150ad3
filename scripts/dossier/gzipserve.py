"""Serve a built book on 127.0.0.1 as a static host does: gzip and caching headers.

Python's ``http.server`` sends every file uncompressed and without ``Cache-Control``; a static
host (GitHub Pages, Netlify, an nginx) compresses text and lets the browser keep files for a
while. The benchmarks (scripts/bench.py) and the phone tests measure the book as students get it,
so they serve it with :func:`serve`:

* text files (HTML, CSS, JavaScript, JSON, SVG, the manifest) are sent gzip-compressed (level 6,
  as nginx's default is 1 to 6) when the request accepts gzip;
* every file carries ``Cache-Control: max-age=600`` (GitHub Pages' value) and an ``ETag``; a
  request with a matching ``If-None-Match`` gets ``304 Not Modified``;
* a folder serves its ``index.html``; anything else is 404.

    with serve(Path("_build/html")) as url:   # "http://127.0.0.1:PORT/"
        ...
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.server
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".webmanifest", ".txt", ".xml", ".map", ".ipynb", ".md"}
TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript", ".woff": "font/woff",
         ".woff2": "font/woff2", ".ipynb": "application/json"}
MAX_AGE = 600


class GzipHandler(http.server.BaseHTTPRequestHandler):
    root: Path
    cache: dict

    def log_message(self, *args) -> None:  # quiet
        pass

    def _file(self) -> Path | None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        target = (self.root / path).resolve()
        try:
            target.relative_to(self.root)
        except ValueError:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _body(self, target: Path, compress: bool) -> bytes:
        stat = target.stat()
        key = (str(target), stat.st_mtime_ns, stat.st_size, compress)
        if key not in self.cache:
            data = target.read_bytes()
            self.cache[key] = gzip.compress(data, compresslevel=6, mtime=0) if compress else data
        return self.cache[key]

    def do_GET(self, head: bool = False) -> None:
        target = self._file()
        if target is None:
            self.send_error(404)
            return
        compress = target.suffix.lower() in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        body = self._body(target, compress)
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", f"max-age={MAX_AGE}")
            self.end_headers()
            return
        self.send_response(200)
        kind = TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/manifest+json"):
            kind += "; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET(head=True)


@contextlib.contextmanager
def serve(root: Path):
    """Serve `root` on 127.0.0.1 at a free port, in a thread; yield its base URL (ending in /)."""
    handler = type("Handler", (GzipHandler,), {"root": Path(root).resolve(), "cache": {}})
    with running(handler) as url:
        yield url


@contextlib.contextmanager
def running(handler):
    """Run an HTTP server with `handler` on 127.0.0.1 at a free port, in a thread; yield its base
    URL (ending in /); shut it down after. (The handouts' printer serves plain files with it.)"""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
