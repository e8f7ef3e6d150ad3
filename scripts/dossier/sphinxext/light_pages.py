"""Sphinx extension: pages that arrive in seconds on a slow connection.

Measured at commit ea7ed06 as a student's phone meets the book (400 kbit/s, 400 ms latency, CPU
slowed 4x): a first visit to the reading copy moved about 1 MB compressed in 32 requests, and its
first text came after 5.3 s, held up by 12 render-blocking stylesheets. For the HTML builders this
extension, on every page as it is written (the theme's template output is rewritten in its head):

* drops Font Awesome's script (1.45 MB, to draw about 18 icons): the theme's stylesheet draws the
  same icons with Font Awesome's font, which the build cuts to the glyphs the book uses (below);
* links one stylesheet, ``_static/dossier-site.css``, instead of the twelve: the same files in the
  same order, purged of the rules nothing in the book can match (:mod:`.cssbundle`); the page
  records the files it stood for in ``data-dossier-sources``;
* moves the scripts of the head (from the first file on: the theme's inline script that sets
  the colour mode stays, before the first paint) to the end of the body, in the same order and
  still in the parser's way, so they run as before (``DOMContentLoaded`` after them, as the
  scripts expect: ``defer`` would run sphinx-togglebutton before the setting it reads) but the
  page is painted before they arrive;
* loads the search index and Sphinx's search code only on the search page (the search box
  sends the reader there);
* drops the theme's ``preload`` of its two scripts, which competed with the stylesheet for the
  connection;
* adds the book's own script (``_static/dossier-site.js``: the menu on phones, maps loaded when
  they near the screen, the offline worker), the web app manifest and the theme colour.

When the build has finished, it writes ``_static/dossier-site.css`` from every page's list,
purged against every page and every script the pages load; cuts the icon fonts to the code points
the kept rules use (fontTools, from the theme's TTF files, written as WOFF) and points the
``@font-face`` rules at them; and removes from the output what no page loads any more (the Font
Awesome script and webfonts, and the source maps under ``_static/``).
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path, PurePosixPath

from sphinx.application import Sphinx
from sphinx.util import logging

from . import cssbundle

logger = logging.getLogger(__name__)

BUNDLE = "_static/dossier-site.css"
SITE_SCRIPT = "_static/dossier-site.js"
MANIFEST = "manifest.webmanifest"
THEME_COLOUR = "#0a7d91"  # pydata-sphinx-theme's primary colour in light mode
STATIC = Path(__file__).parent / "static"
ROOT_MARK = "__DOSSIER_ROOT__"  # in the footer (_config.yml): the page's way to the site's root
FONTS_DIR = "_static/fonts"
SEARCH_FILES = ("searchindex.js", "searchtools.js", "language_data.js")
# What no page loads once the pages are rewritten (paths in the output, globs).
UNUSED = ("_static/scripts/fontawesome.js", "_static/vendor/fontawesome", "_static/**/*.map")

_HEAD = re.compile(r"<head>(.*?)</head>", re.S)
_TAG = re.compile(r"<script\b[^>]*>.*?</script>|<link\b[^>]*>", re.S | re.I)
_ATTR = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def _attributes(tag: str) -> dict[str, str]:
    opening = tag[: tag.index(">") + 1]
    inner = re.sub(r"^<\w+|/?>$", "", opening)
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(inner)}


def _is_local(url: str) -> bool:
    return bool(url) and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", url, re.I)


def _path(url: str) -> str:
    return url.split("#")[0].split("?")[0]


def rewrite_head(page: str, content_root: str, pagename: str) -> str:
    """The page with its head rewritten as the module docstring says (idempotent)."""
    match = _HEAD.search(page)
    if not match or 'data-dossier-sources="' in match.group(1):
        return page
    head = match.group(1)
    sources: list[str] = []
    seen_external_script = False
    moved: list[str] = []
    bundle_at: int | None = None
    out, position = [], 0
    for tag_match in _TAG.finditer(head):
        tag = tag_match.group(0)
        attrs = _attributes(tag)
        replacement = tag
        if tag.lower().startswith("<link"):
            rel = attrs.get("rel", "").lower().split()
            href = attrs.get("href", "")
            if "stylesheet" in rel and _is_local(href):
                sources.append(_path(href))
                replacement = ""
                if bundle_at is None:
                    bundle_at = len(out) + 1
            elif "preload" in rel and attrs.get("as") == "script":
                replacement = ""
        else:
            src = attrs.get("src", "")
            kind = attrs.get("type", "text/javascript").lower()
            if src:
                name = PurePosixPath(_path(src)).name
                if name == "fontawesome.js":
                    replacement = ""
                elif name in SEARCH_FILES and pagename != "search":
                    replacement = ""
                elif _is_local(src) and "defer" not in attrs and "async" not in attrs:
                    seen_external_script = True
                    moved.append(tag)
                    replacement = ""
            elif seen_external_script and kind in ("text/javascript", "application/javascript", "module", ""):
                moved.append(tag)
                replacement = ""
        out.append(head[position:tag_match.start()])
        out.append(replacement)
        position = tag_match.end()
    out.append(head[position:])
    if sources:
        listed = " ".join(sources)
        link = (f'<link rel="stylesheet" href="{content_root}{BUNDLE}" '
                f'data-dossier-sources="{html.escape(listed)}" />')
        out.insert(bundle_at if bundle_at is not None else len(out), link)
    out.append(f'<link rel="manifest" href="{content_root}{MANIFEST}" />\n'
               f'  <meta name="theme-color" content="{THEME_COLOUR}" />\n'
               f'  <script defer src="{content_root}{SITE_SCRIPT}"></script>\n  ')
    page = page[:match.start(1)] + "".join(out) + page[match.end(1):]
    if moved:
        end = page.rindex("</body>")
        page = page[:end] + "  " + "\n  ".join(moved) + "\n" + page[end:]
    return page


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html" or not hasattr(app.builder, "templates"):
        return
    templates = app.builder.templates
    render = templates.render

    def render_page(template: str, context: dict) -> str:
        output = render(template, context)
        if "</head>" in output and context.get("pagename"):
            root = context.get("content_root", "")
            output = rewrite_head(output, root, context["pagename"]).replace(ROOT_MARK, root)
        return output

    templates.render = render_page


# --------------------------------------------------------------------------------------------
# After the build: the stylesheet, the fonts, what is no longer used


def pages(outdir: Path) -> list[Path]:
    """The HTML pages of the output (not the theme's template fragments under _static/)."""
    return sorted(p for p in outdir.rglob("*.html") if not {"_static", "_vendor"} & set(p.relative_to(outdir).parts))


def page_sources(page_text: str, page: Path, outdir: Path) -> list[Path]:
    """The stylesheets a page stood for (its bundle link's data-dossier-sources), as files."""
    match = re.search(r'data-dossier-sources="([^"]*)"', page_text)
    if not match:
        return []
    return [(page.parent / src).resolve() for src in html.unescape(match.group(1)).split()]


def page_scripts(page_text: str, page: Path) -> list[Path]:
    found = []
    for src in re.findall(r"""<script\b[^>]*\ssrc=["']([^"']+)["']""", page_text):
        if _is_local(src):
            found.append((page.parent / _path(src)).resolve())
    return found


_FONT_FACE = re.compile(r"@font-face\{([^}]*)\}")
_FONT_URL = re.compile(r"url\(([^)]+)\)")
_ESCAPED_CODEPOINT = re.compile(r"\\([0-9a-fA-F]{4,6})")


def used_codepoints(css: str) -> set[int]:
    """The private-use code points (icon glyphs) the stylesheet's strings name, as escapes."""
    points = {int(m.group(1), 16) for m in _ESCAPED_CODEPOINT.finditer(css)}
    points |= {ord(ch) for ch in css if 0xE000 <= ord(ch) <= 0xF8FF}
    return {p for p in points if 0xE000 <= p <= 0xF8FF}


def subset_fonts(css: str, css_dir: Path, outdir: Path) -> str:
    """Each icon font of `css` (an ``@font-face`` whose files hold private-use glyphs) cut to the
    glyphs `css` uses and written as WOFF in FONTS_DIR; faces with no glyph in use are dropped.
    Other faces are left as they are."""
    import logging as std_logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    std_logging.getLogger("fontTools").setLevel(std_logging.WARNING)  # it logs every table at INFO

    wanted = used_codepoints(css)

    def replace(match: re.Match) -> str:
        body = match.group(1)
        urls = [u.strip("'\" ") for u in _FONT_URL.findall(body)]
        ttf = next(((css_dir / _path(u)).resolve() for u in urls if _path(u).endswith(".ttf")), None)
        if ttf is None or not ttf.is_file():
            return match.group(0)
        font = TTFont(ttf, recalcTimestamp=False)
        cmap = set(font.getBestCmap())
        if not any(0xE000 <= p <= 0xF8FF for p in cmap):
            return match.group(0)  # not an icon font
        keep = sorted(wanted & cmap)
        if not keep:
            return ""
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence notice
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        font.flavor = "woff"
        target = outdir / FONTS_DIR / f"{ttf.stem}.subset.woff"
        target.parent.mkdir(parents=True, exist_ok=True)
        font.save(target)
        relative = PurePosixPath(*cssbundle._relative_parts(target.resolve(), css_dir.resolve()))
        src = f'src:url({relative.as_posix()}) format("woff")'
        return "@font-face{" + re.sub(r"src:[^;}]*", src, body) + "}"

    return _FONT_FACE.sub(replace, css)


def remove_unused(outdir: Path) -> list[Path]:
    removed = []
    for pattern in UNUSED:
        for path in sorted(outdir.glob(pattern)):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            removed.append(path)
    return removed


def write_site_files(outdir: Path) -> None:
    """The stylesheet of the whole book, its icon fonts, and the book's own script."""
    page_texts = {page: page.read_text(encoding="utf-8") for page in pages(outdir)}
    sources: dict[Path, None] = {}
    scripts: dict[Path, None] = {}
    usage = cssbundle.Usage()
    for page, text in page_texts.items():
        for source in page_sources(text, page, outdir):
            sources.setdefault(source, None)
        for script in page_scripts(text, page):
            scripts.setdefault(script, None)
        usage.add_html(text)
    site_script = (STATIC / "dossier-site.js").read_text(encoding="utf-8")
    for script in scripts:
        if script.is_file() and script.suffix == ".js" and script.name != "searchindex.js":
            usage.add_script(script.read_text(encoding="utf-8", errors="replace"))
    usage.add_script(site_script)
    target = outdir / BUNDLE
    missing = [s for s in sources if not s.is_file()]
    if missing:
        raise FileNotFoundError(f"light pages: a page links {missing[0]}, which the build did not write")
    css = cssbundle.purge(cssbundle.bundle(list(sources), target.parent), usage)
    css = subset_fonts(css, target.parent, outdir)
    header = ("/* The book's one stylesheet, made by dossier.sphinxext.light_pages from: "
              + ", ".join(PurePosixPath(*cssbundle._relative_parts(s, outdir.resolve())).as_posix() for s in sources)
              + " (each under its own licence: the themes BSD-3-Clause, Font Awesome Free's icons CC BY 4.0"
              " and fonts SIL OFL 1.1). Rules no page can use are left out. */\n")
    target.write_text(header + css, encoding="utf-8")
    (outdir / SITE_SCRIPT).write_text(site_script, encoding="utf-8")


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    write_site_files(outdir)
    remove_unused(outdir)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_digest() -> str:
    """sha256 of this extension's code and files: a configuration value of the HTML build, so a
    change to how pages are rewritten rewrites every page (Sphinx would keep them otherwise)."""
    digest = hashlib.sha256()
    files = [Path(__file__), Path(cssbundle.__file__), *sorted(STATIC.iterdir())]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _config_inited(app: Sphinx, config) -> None:
    config.dossier_light_pages_digest = code_digest()


def setup(app: Sphinx) -> dict:
    app.add_config_value("dossier_light_pages_digest", "", "html")
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("build-finished", _build_finished, priority=800)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
