"""Notebook 05 in a real JupyterLab: run all cells, move the λ slider, see the plots change.

Runs when Debian's Chromium and the `playwright` package are installed (.ci/run installs
both); skipped otherwise. Screenshots are kept in test-artifacts/ at the repository root.
"""
import shutil
from pathlib import Path

import pytest

from tests.browser import browser_page, chromium_path, jupyterlab, open_and_run_all

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "05_interactive_lambda_and_n_critic.ipynb"
ARTIFACTS = ROOT / "test-artifacts"

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(chromium_path() is None, reason="no system Chromium")

CHANGED = """old => {
    const image = document.querySelector('.widget-output img');
    return image !== null && image.src !== old;
}"""


def test_moving_the_lambda_slider_redraws_the_toy_explorer(tmp_path):
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, tmp_path / NOTEBOOK)  # autosaves stay out of the repo
    ARTIFACTS.mkdir(exist_ok=True)
    with jupyterlab(tmp_path) as (base, token), browser_page(tmp_path / "home") as page:
        open_and_run_all(page, base, token, NOTEBOOK)
        slider = page.locator(".widget-slider", has_text="λ").first
        image = page.locator(".widget-output img").first
        image.wait_for(timeout=120_000)
        readout_before = slider.locator(".widget-readout").inner_text()
        source_before = image.get_attribute("src")
        before = page.screenshot(path=str(ARTIFACTS / "05_before_slider.png"), full_page=True)

        slider.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(CHANGED, arg=source_before, timeout=60_000)
        page.wait_for_timeout(500)  # let the last redraw settle before the screenshot
        readout_after = slider.locator(".widget-readout").inner_text()
        after = page.screenshot(path=str(ARTIFACTS / "05_after_slider.png"), full_page=True)

    assert readout_after != readout_before
    assert after != before
