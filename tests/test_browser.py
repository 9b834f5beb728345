"""Notebook 05 in a real JupyterLab: run all cells, move the λ slider, see the plots change.

Needs a system Chromium, the `playwright` package and JupyterLab (.ci/run installs them).
Without them the test is skipped, with the missing pieces named in the skip reason (`-rs`
prints it in pytest's summary), except under CI (the environment variable CI set, as every
CI service does): there it fails, naming them, so that a CI run never passes by skipping
it. Screenshots are kept in test-artifacts/ at the repository root.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import browser_page, jupyterlab, missing_requirements, open_and_run_all

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "05_interactive_lambda_and_n_critic.ipynb"
ARTIFACTS = ROOT / "test-artifacts"


def under_ci():
    """Whether the environment variable CI is set (to anything but "", "0" or "false")."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_a_browser():
    """Skip (outside CI) or fail (under CI) naming what the real-browser test lacks."""
    missing = missing_requirements()
    if missing:
        message = "the real-browser test needs " + "; ".join(missing)
        if under_ci():
            pytest.fail(f"{message} (CI is set, so this test must run)", pytrace=False)
        pytest.skip(message)


CHANGED = """old => {
    const image = document.querySelector('.widget-output img');
    return image !== null && image.src !== old;
}"""


def test_moving_the_lambda_slider_redraws_the_toy_explorer(tmp_path):
    require_a_browser()
    shutil.copy(
        ROOT / "notebooks" / NOTEBOOK, tmp_path / NOTEBOOK
    )  # autosaves stay out of the repo
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
