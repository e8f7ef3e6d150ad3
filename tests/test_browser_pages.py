"""Every page of the built book in a real browser, with every other host blocked: it loads with no
JavaScript error and no failed request. (The map pages are tested in depth in test_browser.py.)"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import MAP_PAGES, STUDENT, TILE_HOST, VIEWPORT, toc_docnames, unexpected_errors, visit

BOOK = STUDENT


def all_pages() -> list[str]:
    """Every chapter of _toc.yml, the search page and the general index, but the map pages:
    test_browser.py opens those, and checks the same there."""
    pages = [f"{name}.html" for name in toc_docnames()] + ["search.html", "genindex.html"]
    return [page for page in pages if page not in {f"book/{chapter}.html" for chapter in MAP_PAGES}]


def test_the_landing_page_opens_the_first_chapter(browser, student_url):
    context = browser.new_context(viewport=VIEWPORT)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(student_url) else route.abort())
    page = context.new_page()
    try:
        page.goto(student_url + "index.html")
        page.wait_for_url(student_url + f"{toc_docnames()[0]}.html", timeout=5_000)
    finally:
        context.close()


@pytest.mark.parametrize("path", all_pages())
def test_page_loads_without_errors_or_broken_requests(browser, student_url, path):
    seen = visit(browser, student_url, path)
    assert unexpected_errors(seen.errors, (BOOK / path).read_text(encoding="utf-8")) == [], f"{path}: JavaScript errors"
    failed = [(url, status) for url, status in seen.responses if status >= 400]
    assert failed == [], f"{path}: local requests that failed"
    hosts = sorted({urlsplit(url).hostname for url in seen.blocked} - {TILE_HOST})
    assert hosts == [], f"{path}: requests to other hosts"
