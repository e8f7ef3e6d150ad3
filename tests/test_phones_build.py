"""The built editions as issue 20 and issue 19 (item 3) want them, read from the files (no browser):
code folded in the student edition only, the student header, the licence in the footer, light
pages (one stylesheet, no Font Awesome script, search index on the search page), the service
worker's precache list and the zip. Also unit tests of the pieces: the CSS purge, the head
rewrite, the licence line, the zip's stable bytes."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import LICENSE_TEXT, ROOT, article_main, html_pages, soup, toc_docnames

from dossier import config
from dossier.licence import licence
from dossier.sphinxext import cssbundle, light_pages, offline_site

THEME_CHAPTERS = config.theme_chapters()


# --------------------------------------------------------------------------------------------
# Code folded in the student edition (issue 19, item 3)


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_student_theme_chapters_show_no_code_unfolded(student, chapter):
    main = article_main(student / f"book/{chapter}.html")
    inputs = main.select("div.cell_input")
    assert inputs, f"{chapter}: no code cell at all (the test would prove nothing)"
    unfolded = [cell for cell in inputs if cell.find_parent("details") is None]
    assert unfolded == [], f"{chapter}: {len(unfolded)} code cells shown unfolded"
    for cell in inputs:
        details = cell.find_parent("details")
        assert not details.has_attr("open") and not details.find("summary").get("aria-label"), details.find("summary")
    toggles = [s.get_text() for s in main.select("details.hide > summary")]
    assert any("Show the code" in text for text in toggles), f"{chapter}: no 'Show the code' toggle"


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_instructor_theme_chapters_show_the_code(instructor, chapter):
    main = article_main(instructor / f"book/{chapter}.html")
    shown = [cell for cell in main.select("div.cell_input") if cell.find_parent("details") is None]
    assert shown, f"{chapter}: the instructor edition folds every code cell"


# --------------------------------------------------------------------------------------------
# Header and footer


def test_the_student_header_has_no_instructor_tools_and_the_instructor_header_has_them(student, instructor):
    tools = (".dropdown-launch-buttons", ".dropdown-source-buttons", ".btn-fullscreen-button")
    page = "book/ttp.html"
    for selector in tools:
        assert soup(student / page).select(selector) == [], f"student edition: {selector}"
        assert soup(instructor / page).select(selector), f"instructor edition: no {selector}"


def test_every_page_carries_the_licence_line_once(edition):
    line = licence().text()
    for page in html_pages(edition):
        footer = soup(page).select(".dossier-licence")
        if not footer:  # the root index.html is a bare redirect
            assert page.name == "index.html" and page.parent == edition, f"{page}: no licence line"
            continue
        assert len(footer) == 1 and " ".join(footer[0].get_text().split()) == " ".join(re.sub(r" \(https?://[^)]*\)", "", line).split())
        assert {a["href"] for a in footer[0].select("a[rel=license]")} == {"https://creativecommons.org/licenses/by/4.0/",
                                                                         "https://opensource.org/license/mit"}


def test_license_and_readme_state_the_terms_of_the_licence_line():
    for terms in ("CC BY 4.0", "MIT", "creativecommons.org/licenses/by/4.0", "teaching, criticism and review"):
        assert terms in LICENSE_TEXT, f"LICENSE does not say {terms!r}"
        assert terms in licence().text() or terms == "creativecommons.org/licenses/by/4.0" and terms in licence().html()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "MIT" in readme and "[LICENSE](LICENSE)" in readme


# --------------------------------------------------------------------------------------------
# Light pages


def test_pages_link_one_stylesheet_and_no_font_awesome_script(edition):
    for page in html_pages(edition):
        head = soup(page).head
        if head is None or not head.select("link[rel=stylesheet]"):
            continue
        sheets = [link["href"] for link in head.select("link[rel=stylesheet]")]
        assert [Path(s).name for s in sheets] == ["dossier-site.css"], f"{page}: {sheets}"
        assert not soup(page).select("script[src*=fontawesome]"), page
        blocking = [s["src"] for s in head.select("script[src]") if not s.has_attr("defer") and not s.has_attr("async")]
        assert blocking == [], f"{page}: scripts in the head block the first paint"
    assert not (edition / "_static/scripts/fontawesome.js").exists()
    assert not list((edition / "_static").rglob("*.map"))
    fonts = list((edition / "_static/fonts").glob("*.woff"))
    assert fonts and all(f.stat().st_size < 10_000 for f in fonts), fonts


def test_the_search_index_loads_on_the_search_page_only(student):
    for page in html_pages(student):
        scripts = [s.get("src", "") for s in soup(page).select("script[src]")]
        has_index = any(src.endswith("searchindex.js") for src in scripts)
        assert has_index == (page.name == "search.html" and page.parent == student), page


def test_the_stylesheet_keeps_what_the_pages_use_and_drops_the_rest(student):
    css = (student / light_pages.BUNDLE).read_text(encoding="utf-8")
    for kept in ("html[data-theme=dark]", ".bd-sidebar-primary", ".dossier-map-table", ".admonition-title"):
        assert kept in css, kept
    for dropped in (".fa-tiktok", ".fa-bitcoin", ".col-md-7", ".offset-lg-3"):
        assert dropped not in css, dropped
    assert len(css) < 220_000


# --------------------------------------------------------------------------------------------
# Offline


def test_the_worker_precaches_every_page_and_what_it_loads_with_hashes(student):
    worker = (student / offline_site.WORKER).read_text(encoding="utf-8")
    files = json.loads(re.search(r"const FILES = (\{.*?\});", worker, re.S).group(1))
    for name in toc_docnames() + ["search", "genindex", "index"]:
        assert f"{name}.html" in files, f"{name}.html is not precached"
    for needed in ("searchindex.js", light_pages.BUNDLE, light_pages.SITE_SCRIPT, "manifest.webmanifest"):
        assert needed in files, needed
    assert any(path.startswith("_vendor/leaflet") and path.endswith("leaflet.js") for path in files)
    for path, digest in files.items():
        assert hashlib.sha256((student / path).read_bytes()).hexdigest() == digest, f"{path}: stale hash"
        assert not path.endswith((".pdf", ".zip", ".map")), path
    manifest = json.loads((student / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == "index.html" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert (student / icon["src"]).is_file(), icon


def test_the_zip_holds_the_site(student):
    with zipfile.ZipFile(student / offline_site.ZIP) as archive:
        names = set(archive.namelist())
        assert {f"dossier/{name}.html" for name in toc_docnames()} <= names
        assert "dossier/index.html" in names and "dossier/searchindex.js" in names
        assert not [n for n in names if n.endswith((".map", ".zip"))]
        assert {info.date_time for info in archive.infolist()} == {offline_site.ZIP_DATE}


def test_the_zip_is_byte_stable(tmp_path):
    (tmp_path / "a.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "b.css").write_text("p{}", encoding="utf-8")
    files = sorted(tmp_path.iterdir())
    first = offline_site.write_zip(tmp_path, files).read_bytes()
    second = offline_site.write_zip(tmp_path, files).read_bytes()
    assert first == second


# --------------------------------------------------------------------------------------------
# Units: the purge and the head


def test_purge_keeps_rules_that_can_match_and_drops_the_others():
    usage = cssbundle.Usage()
    usage.add_html('<html data-theme="light"><body><div class="a b" id="x"><p>t</p></div></body></html>')
    usage.add_script('el.classList.add("show"); const c = "bs-tooltip";')
    css = ("p{color:red}.a .b{margin:0}.missing{color:blue}html[data-theme=dark] .a{color:#fff}"
           ".a:hover::after{content:'x'}#x{top:0}#y{top:1px}.show{display:block}.bs-tooltip-auto{left:0}"
           "@media (min-width:10px){.missing{qq:1}.a{y:2}}@keyframes spin{to{left:0}}@keyframes used{to{left:1px}}"
           ".b{animation:used 1s}.a:not(.missing){z-index:1}")
    kept = cssbundle.purge(css, usage)
    for rule in ("p{color:red}", ".a .b{margin:0}", "html[data-theme=dark] .a{color:#fff}", "#x{top:0}",
                 ".show{display:block}", ".bs-tooltip-auto{left:0}", "@media (min-width:10px){.a{y:2}}",
                 "@keyframes used", ".a:hover::after", ".a:not(.missing)"):
        assert rule in kept, rule
    for rule in (".missing{color:blue}", "#y", "@keyframes spin", "qq:1"):
        assert rule not in kept, rule


def test_bundle_inlines_imports_and_rebases_urls(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "base.css").write_text(".b{background:url(img/b.png)}", encoding="utf-8")
    (tmp_path / "styles/theme.css").write_text('@import "../base.css";\n.t{src:url(../fonts/f.woff)}', encoding="utf-8")
    text = cssbundle.bundle([tmp_path / "styles/theme.css"], tmp_path)
    assert ".b{background:url(img/b.png)}" in text and "url(fonts/f.woff)" in text and "@import" not in text


def test_head_rewrite_moves_scripts_and_links_the_one_stylesheet():
    page = ('<html><head><script>document.documentElement.dataset.mode="light"</script>'
            '<link href="../_static/a.css?v=1" rel="stylesheet" /><link rel="stylesheet" href="../_static/b.css" />'
            '<script defer src="../_static/scripts/fontawesome.js"></script>'
            '<link rel="preload" as="script" href="../_static/x.js" />'
            '<script src="../_static/documentation_options.js"></script><script>DOCUMENTATION_OPTIONS.x = 1;</script>'
            '<script src="../searchindex.js"></script></head><body><p>text</p></body></html>')
    out = light_pages.rewrite_head(page, "../", "book/ttp")
    head, body = out.split("</head>")
    assert 'dataset.mode="light"' in head  # the colour mode is set before the first paint
    assert head.count('rel="stylesheet"') == 1 and 'data-dossier-sources="../_static/a.css ../_static/b.css"' in head
    assert "fontawesome" not in out and "preload" not in out and "searchindex" not in out
    assert body.index("documentation_options.js") < body.index("DOCUMENTATION_OPTIONS.x") < body.index("</body>")
    assert light_pages.rewrite_head(out, "../", "book/ttp") == out  # idempotent
    assert "searchindex.js" in light_pages.rewrite_head(page, "", "search")
