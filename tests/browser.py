"""Drive a real JupyterLab in headless Chromium (Debian's build, through Playwright).

Used by tests/test_browser.py. Chromium cannot be downloaded by Playwright here, so the
system's `/usr/bin/chromium` is launched through `executable_path`; everything JupyterLab
writes (settings, runtime files, the notebook's autosaves) goes to a temporary folder.
"""

import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path():
    """The system Chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_requirements():
    """What the real-browser test lacks, one phrase each (empty when it can run)."""
    missing = []
    if chromium_path() is None:
        missing.append(
            "chromium (no chromium or chromium-browser on PATH; Debian/Ubuntu: "
            "apt-get install chromium)"
        )
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright (the Python package: pip install playwright)")
    if importlib.util.find_spec("jupyterlab") is None:
        missing.append("jupyterlab (pip install jupyterlab)")
    return missing


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def jupyterlab(root, timeout=60):
    """Start JupyterLab on localhost serving `root`; yields (base_url, token)."""
    root = Path(root)
    token, port = secrets.token_hex(16), _free_port()
    dirs = {
        name: root / f".{name.lower()}"
        for name in (
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_DATA_DIR",
            "JUPYTER_RUNTIME_DIR",
            "IPYTHONDIR",
            "MPLCONFIGDIR",
        )
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    settings = root / ".lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = {
        **os.environ,
        **{k: str(v) for k, v in dirs.items()},
        "JUPYTERLAB_SETTINGS_DIR": str(root / ".lab-settings"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--ServerApp.disable_check_xsrf=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(root / "jupyterlab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "JupyterLab did not start: see " + str(root / "jupyterlab.log")
                    ) from None
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextmanager
def browser_page(home):
    """A Playwright page in headless system Chromium with its own HOME."""
    from playwright.sync_api import sync_playwright

    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS, env=env
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            yield page
        finally:
            browser.close()


def open_and_run_all(page, base, token, notebook_name, timeout_ms=360_000):
    """Open a notebook in JupyterLab, wait for its kernel, run all cells, wait until idle.

    `timeout_ms` per wait: notebook 05 in fast mode ran past 180 s on a 2-core machine busy
    with other work.
    """
    page.goto(f"{base}/lab/tree/{notebook_name}?token={token}")
    status = page.locator(".jp-StatusBar-TextItem", has_text="| Idle")
    status.first.wait_for(timeout=timeout_ms)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    # Busy first (the kernel took the cells); then wait until no prompt shows "[*]" (running
    # or queued) and the kernel is idle: idle alone can be the pause between two cells.
    page.locator(".jp-StatusBar-TextItem", has_text="| Busy").first.wait_for(timeout=30_000)
    page.wait_for_function(
        """() => ![...document.querySelectorAll('.jp-InputPrompt')]
                   .some(prompt => prompt.textContent.includes('*'))""",
        timeout=timeout_ms,
    )
    status.first.wait_for(timeout=timeout_ms)
