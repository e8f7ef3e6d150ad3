"""The notebooks in Jupyter Lab itself, with no network: maps draw, MyST renders.

Jupyter Lab is started the way an instructor starts it, `make lab` (which trusts the notebooks
first), with LAB_ARGS for a headless server on 127.0.0.1 with a token, and with its own Jupyter
config and data folders (so the test neither reads nor writes the user's). Headless chromium, with
every host but this machine unreachable, opens each notebook that holds a map, in a workspace of
its own, and the test asserts that:

* every map draws: Leaflet made a map in the output's frame, with the Durand Line and every place
  as SVG paths, from the Leaflet inlined in the stored output (nothing is fetched);
* no MyST source shows as raw text (`{term}`, `{cite:p}`, `{doc}`, `:::{`, `` ```{ ``, `:label:`)
  and jupyterlab-myst reports no unknown directive or role;
* nothing but map tiles was asked of another host, and no page error was thrown;
* the students' own work runs from the stored outputs of a trusted notebook: a self-check keeps its
  first choice and an answer box its answer (line breaks included: Lab cancels a line break typed
  in a cell, and the script puts it in) across a reload of Lab.

The server is stopped when the module's tests are done. Screenshots go to _build/screenshots/lab-*.png.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from conftest import MAP_PAGES, MAP_READY_JS, MAP_TIMEOUT_MS, ROOT, TILE_HOST

TOKEN = "dossier-lab-test"
SCREENSHOTS = ROOT / "_build" / "screenshots"
RAW_MYST = re.compile(r"\{(?:term|cite:p|cite:t|doc|ref|numref)\}`|:::\{|```\{|^:(?:label|class):", re.M)
LAB_ERRORS = ("Unknown Directive", "Unknown Role")

# Runs in a map's frame: what Leaflet drew.
DRAWN_JS = """() => ({
  paths: document.querySelectorAll('.leaflet-overlay-pane path').length,
  places: document.querySelectorAll('path[role="button"]').length,
  leaflet: window.L ? L.version : null,
})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Jupyter Lab on the notebooks, started with `make lab`; yields its base URL."""
    home = tmp_path_factory.mktemp("jupyter")
    # Render every cell at once (users get Lab's default, which renders cells as they scroll into
    # view: the same rendering, later); the test then needs no scrolling.
    settings = home / "config" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    port = free_port()
    # window.jupyterapp lets the test open the notebooks one after another in one page
    args = (f"--no-browser --port {port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={TOKEN} "
            "--LabApp.expose_app_in_browser=True")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Jupyter Lab did not start (see {home / 'lab.log'}):\n"
                                + (home / "lab.log").read_text()[-2000:], pytrace=False)
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def opened(browser, lab):
    """Jupyter Lab in one page; each notebook is opened in it once, on first use: what Lab showed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    blocked: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    page.on("requestfailed", lambda request: None if request.url.startswith(lab) else blocked.append(request.url))
    page.goto(f"{lab}/lab/workspaces/test?reset&token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')",
                           timeout=60_000)
    cache: dict[str, dict] = {}

    def get(name: str) -> dict:
        if name not in cache:
            errors.clear(), blocked.clear()
            cache[name] = open_notebook(page, name)
            cache[name].update(errors=list(errors), blocked=list(blocked))
        return cache[name]

    yield get
    context.close()


def open_notebook(page, name: str) -> dict:
    """Open book/<name>.ipynb in Lab and read what it shows: its maps, its rendered Markdown."""
    page.evaluate("path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", f"{name}.ipynb")
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    page.wait_for_function(f"() => document.querySelector('.lm-DockPanel-tabBar .lm-mod-current')?.textContent.includes('{name}.ipynb')",
                           timeout=30_000)
    page.wait_for_selector(f"{panel} .jp-MarkdownCell .myst", timeout=60_000)  # rendered by jupyterlab-myst
    cells = page.locator(f"{panel} .jp-MarkdownCell")
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n",
                           arg=[f"{panel} .jp-MarkdownCell .myst", cells.count()], timeout=30_000)
    seen: dict = {"maps": [], "markdown": "\n".join(page.locator(f"{panel} .jp-MarkdownCell .myst").all_inner_texts())}
    frames = page.locator(f"{panel} .jp-OutputArea-output figure.dossier-map iframe")
    for number in range(frames.count()):
        iframe = frames.nth(number)
        iframe.scroll_into_view_if_needed()
        frame = iframe.element_handle().content_frame()
        frame.wait_for_function(MAP_READY_JS, timeout=MAP_TIMEOUT_MS)
        seen["maps"].append(frame.evaluate(DRAWN_JS))
        if number == 0:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.wait_for_timeout(300)
            page.screenshot(path=str(SCREENSHOTS / f"lab-{name}.png"))
    return seen


@pytest.mark.parametrize("name", MAP_PAGES)
def test_the_map_draws_in_lab_with_no_network(opened, name):
    seen = opened(name)
    assert seen["maps"], f"{name}.ipynb: no map output rendered in Lab (is the notebook trusted?)"
    for drawn in seen["maps"]:
        assert drawn["leaflet"] == "1.9.3", drawn
        assert drawn["places"] > 3, f"{name}: places not drawn ({drawn})"
        assert drawn["paths"] > drawn["places"], f"{name}: outlines and border not drawn ({drawn})"
    assert (SCREENSHOTS / f"lab-{name}.png").stat().st_size > 20_000


@pytest.mark.parametrize("name", MAP_PAGES)
def test_myst_renders_in_lab(opened, name):
    seen = opened(name)
    assert len(seen["markdown"]) > 2_000, f"{name}: little rendered Markdown ({len(seen['markdown'])} characters)"
    assert RAW_MYST.findall(seen["markdown"]) == [], f"{name}: raw MyST shows in Lab"
    assert [e for e in LAB_ERRORS if e in seen["markdown"]] == [], f"{name}: jupyterlab-myst reports an error"
    assert "Learning objectives" in seen["markdown"] and "Exercise" in seen["markdown"]


@pytest.mark.parametrize("name", MAP_PAGES)
def test_nothing_but_tiles_is_asked_of_another_host(opened, name):
    seen = opened(name)
    assert sorted({urlsplit(url).hostname for url in seen["blocked"]} - {TILE_HOST}) == []
    assert seen["errors"] == []


# --------------------------------------------------------------------------------------------
# The students' own work in Lab (dossier.work): the inline script of a trusted notebook's outputs


def open_fresh(page, lab: str, name: str) -> str:
    """Open book/<name>.ipynb alone in a workspace of its own; return the panel's selector."""
    page.goto(f"{lab}/lab/workspaces/work-{name}/tree/{name}.ipynb?reset&token={TOKEN}")
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    page.wait_for_selector(f"{panel} .jp-OutputArea-output .dossier-quizzes[data-work-ready]", timeout=60_000)
    return panel


def test_a_self_check_keeps_its_first_choice_and_a_box_its_answer_in_lab(browser, lab):
    """In a trusted notebook the self-checks' options are buttons (the stored output's script ran):
    choosing one shows its feedback and the chapter's score, and a reload of Lab shows them again;
    an answer typed under a reading prompt is kept the same way."""
    from dossier import quiz

    question = quiz.questions("reading").items[0]
    wrong = 0 if question.options[0] is not question.answer else 1
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    try:
        panel = open_fresh(page, lab, "reading")
        block = page.locator(f"{panel} #quiz-{question.id}")
        assert block.locator("details").count() == 0
        choice = block.locator("button.dossier-quiz-choice").nth(wrong)
        choice.scroll_into_view_if_needed()
        choice.click()
        feedback = block.locator(".dossier-quiz-feedback").nth(wrong)
        assert feedback.is_visible() and feedback.inner_text().startswith("Not this one.")
        assert "0 right of 1 chosen" in page.locator(f"{panel} .dossier-quiz-score").inner_text()
        box = page.locator(f"{panel} #answer-before-author")
        box.scroll_into_view_if_needed()
        box.click()
        page.keyboard.type("Typed in Lab, with j and k and Enter\nkept as text.")  # not Lab's shortcuts
        assert box.input_value() == "Typed in Lab, with j and k and Enter\nkept as text."

        panel = open_fresh(page, lab, "reading")
        block = page.locator(f"{panel} #quiz-{question.id}")
        assert "your first choice" in block.locator("button.dossier-quiz-choice").nth(wrong).inner_text()
        assert block.locator(".dossier-quiz-feedback").nth(wrong).is_visible()
        assert page.locator(f"{panel} #answer-before-author").input_value() == "Typed in Lab, with j and k and Enter\nkept as text."
        assert errors == []
    finally:
        context.close()
