"""The course's website in a real browser: served locally, every page opened in headless Chromium.

A separate check, not part of the default run's work: building the site takes minutes, so this
test reads a site already built (`python scripts/build_site.py --check` builds it, then runs
this file) from docs/_build/html, or from the folder named by WGAN_TUTORIAL_SITE. Without a
built site, the system Chromium or the `playwright` package it is skipped, saying which.

The browser may fetch nothing but the local server (every other request is refused), as a
reader offline would: figures must still load, and mathematics, which MathJax typesets when it
can be fetched from its CDN, must stay readable as TeX. Screenshots of the landing page and of
notebook 03 at desktop and phone widths are kept in test-artifacts/site/.
"""

import functools
import http.server
import importlib.util
import json
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import browser_page, chromium_path
from tests.test_release import git, ref_exists

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("WGAN_TUTORIAL_SITE", ROOT / "docs" / "_build" / "html"))
ARTIFACTS = ROOT / "test-artifacts" / "site"
PENALTY = "course/03_wgan_gp_mnist"
WIDTHS = {"desktop": 1280, "phone": 390}


def missing_tools():
    """The browser pieces this test lacks, one phrase each (empty when it can run)."""
    lacking = []
    if chromium_path() is None:
        lacking.append("chromium (Debian/Ubuntu: apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        lacking.append("playwright (pip install playwright)")
    return lacking


@contextmanager
def served(folder):
    """Serve `folder` over HTTP on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that keeps its request log out of the test's output."""

    def log_message(self, *args):
        """Log nothing."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, page): the built site served locally, and a browser tab offline but for it."""
    lacking = missing_tools()
    if not (SITE / "index.html").is_file():
        lacking.insert(0, f"a built site in {SITE} (python scripts/build_site.py)")
    if lacking:
        pytest.skip("the site's browser test needs " + "; ".join(lacking))
    home = tmp_path_factory.mktemp("chromium-home")
    with served(SITE) as base, browser_page(home) as page:
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base) else route.abort()
            ),
        )
        yield base, page


def open_page(page, url):
    """Go to `url` and wait for its images to finish loading (or failing)."""
    page.goto(url, wait_until="load")
    page.wait_for_function("[...document.images].every(image => image.complete)")


def pages():
    """Every HTML page of the built site, relative to its root."""
    return sorted(
        str(path.relative_to(SITE)) for path in SITE.rglob("*.html") if "_static" not in path.parts
    )


BROKEN_IMAGES = """() => [...document.images]
    .filter(image => image.getBoundingClientRect().width > 0 || image.closest('details') === null)
    .filter(image => !(image.complete && image.naturalWidth > 0))
    .map(image => image.getAttribute('src'))"""
MATH = """() => [...document.querySelectorAll('.math')].map(element => ({
    typeset: element.querySelector('mjx-container') !== null,
    text: element.textContent}))"""


def test_every_page_loads_its_figures_and_shows_its_mathematics(site):
    base, page = site
    names = pages()
    assert len(names) >= 12, names
    figures = 0
    for name in names:
        open_page(page, f"{base}/{name}")
        assert page.title(), name
        assert page.evaluate(BROKEN_IMAGES) == [], name
        figures += page.evaluate("document.images.length")
        for math in page.evaluate(MATH):
            # Typeset by MathJax, or (offline, as here) the TeX itself between \( \) or \[ \].
            assert math["typeset"] or ("\\(" in math["text"] or "\\[" in math["text"]), name
    assert figures >= 50


def test_the_course_is_listed_in_order_on_the_landing_page(site):
    base, page = site
    open_page(page, f"{base}/index.html")
    links = page.eval_on_selector_all("article table a", "links => links.map(a => a.href)")
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [link.rsplit("/", 1)[1] for link in links] == [f"{nb.stem}.html" for nb in notebooks]


def test_notebook_pages_show_figures_and_rendered_math(site):
    base, page = site
    open_page(page, f"{base}/{PENALTY}.html")
    assert page.locator("article .cell_output img").count() >= 5
    assert page.locator("article .math").count() >= 20


def test_search_finds_the_gradient_penalty_on_the_penalty_notebook(site):
    base, page = site
    open_page(page, f"{base}/search.html?q=gradient+penalty")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(PENALTY in href for href in hrefs), hrefs


@pytest.mark.parametrize("service", ["colab.research.google.com", "kaggle.com", "mybinder.org"])
def test_launch_links_open_the_notebooks_own_path_at_an_existing_ref(site, service):
    base, page = site
    open_page(page, f"{base}/{PENALTY}.html")
    href = page.locator(f".launch-bar a[href*='{service}']").first.get_attribute("href")
    name = PENALTY.split("/")[1] + ".ipynb"
    if service == "mybinder.org":
        ref = href.split("/v2/gh/")[1].split("?")[0].split("/")[2]
        assert href.endswith(f"labpath=notebooks%2F{name}"), href
    else:
        ref = href.split("/blob/")[1].split("/")[0]
        assert href.endswith(f"/blob/{ref}/notebooks/{name}"), href
    assert ref == "main", href
    if git("rev-parse", "--git-dir")[0] == 0:  # a git checkout: the branch must exist
        assert ref_exists(ref), href


def test_download_link_gives_the_committed_notebook(site):
    base, page = site
    open_page(page, f"{base}/{PENALTY}.html")
    href = page.locator(".launch-bar a.download").first.get_attribute("href")
    response = page.request.get(f"{base}/course/{href}")
    assert response.ok
    committed = (ROOT / "notebooks" / (PENALTY.split("/")[1] + ".ipynb")).read_bytes()
    assert json.loads(response.body()) == json.loads(committed)


def test_a_solution_is_hidden_until_its_summary_is_clicked(site):
    base, page = site
    open_page(page, f"{base}/{PENALTY}.html")
    solution = page.locator("details", has=page.locator("summary", has_text="Solution")).first
    body = solution.locator("pre").first
    assert not body.is_visible()
    solution.locator("summary").click()
    assert body.is_visible()


def test_screenshots_at_desktop_and_phone_widths(site):
    base, page = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for name in ("index", PENALTY):
            open_page(page, f"{base}/{name}.html")
            path = ARTIFACTS / f"{name.replace('/', '_')}_{label}.png"
            page.screenshot(path=str(path))
            shots.append(path)
            # Nothing wider than the screen: no sideways scrolling of the page itself.
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert all(path.stat().st_size > 10_000 for path in shots)


def course_pages_module():
    """docs/_ext/course_pages.py, imported from its file (it needs no Sphinx)."""
    spec = importlib.util.spec_from_file_location(
        "course_pages", ROOT / "docs" / "_ext" / "course_pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_site_copy_links_the_notebooks_own_path_at_main_and_drops_live_widgets(notebook):
    pages = course_pages_module()
    original = json.loads(notebook.read_text(encoding="utf-8"))
    shown = pages.site_copy(original, "owner/name", "main", notebook.name)
    header = shown["cells"][0]["source"]
    own = f"notebooks/{notebook.name}"
    assert f"https://colab.research.google.com/github/owner/name/blob/main/{own}" in header
    assert (
        f"https://kaggle.com/kernels/welcome?src=https://github.com/owner/name/blob/main/{own}"
        in header
    )
    assert f"https://mybinder.org/v2/gh/owner/name/main?labpath={own.replace('/', '%2F')}" in header
    assert f"<originals/{notebook.name}>" in header
    assert "[![" not in header  # no badge images served by the three services
    assert header.splitlines()[0] == "".join(original["cells"][0]["source"]).splitlines()[0]
    widget = "application/vnd.jupyter.widget-view+json"
    for before, after in zip(original["cells"], shown["cells"], strict=True):
        assert before["cell_type"] == after["cell_type"]
        if before["cell_type"] == "code":
            assert after["source"] == before["source"]
            kept = [output for output in before["outputs"] if widget not in output.get("data", {})]
            assert after["outputs"] == kept
    assert "widgets" not in shown["metadata"]
    assert json.loads(notebook.read_text(encoding="utf-8")) == original  # the input unchanged


def test_every_notebook_is_in_the_sites_table_of_contents_and_course_table():
    # the build fails on a notebook missing from the toctree, but it is a separate check:
    # this keeps the suite itself from missing a new notebook
    index = (ROOT / "docs" / "index.md").read_text()
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"course/{notebook.stem}\n" in index, notebook.name
        assert f"(course/{notebook.name})" in index, notebook.name
