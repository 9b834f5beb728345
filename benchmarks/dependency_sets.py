"""The test suite on the oldest and on the newest supported dependencies, each in a fresh venv.

    python benchmarks/dependency_sets.py                 # both sets, one after the other
    python benchmarks/dependency_sets.py --set oldest    # one set
    python benchmarks/dependency_sets.py --ref v0.2.0    # another commit (default: HEAD)

For each set: the committed tree at `--ref` is exported to a scratch folder (so work in
progress never leaks in), a virtual environment is created with the running Python, the set
is installed, then the package with its test extra (`pip install ".[test]"`, which must not
change any version of the set), and `pytest` runs there exactly as the README says. It prints
the versions, the install time and size, and pytest's closing line; the exit status is
non-zero when a set fails. Needs the package registry; the suite itself runs offline.

- oldest: every direct dependency at the lower bound in pyproject.toml. These bounds are
  measured, not guessed: TensorFlow 2.16 is the first with Keras 3; Keras 3.0-3.1 and 3.3-3.4
  cannot load pretrained:wgan-gp-mnist (an unknown `name` argument to SeedGenerator; a
  checkpoint dtype mismatch), 3.5 can. Their own dependencies resolve to whatever pip picks.
- newest: the same packages at the newest versions pip resolves for this Python.

The two suites run sequentially, never in parallel: each is CPU-bound.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The lower bounds of pyproject.toml's dependencies and test extra (tests/test_project_files.py
# checks that both lists agree).
OLDEST = [
    "tensorflow==2.16.1",
    "keras==3.5.0",
    "numpy==1.26.0",
    "scipy==1.11.1",
    "matplotlib==3.8.0",
    "ipywidgets==7.7.1",
    "tqdm==4.66.0",
    "pillow==9.3.0",
    "pytest==8.0.0",
    "nbval==0.11.0",
    "playwright==1.40.0",
    "jupyterlab==4.0.0",
    "hypothesis==6.155.2",
]
NAMES = [requirement.split("==")[0] for requirement in OLDEST]
SETS = {"oldest": OLDEST, "newest": NAMES}
# JupyterLab 4 does not render ipywidgets 7 (the oldest set's, Colab's), so the real-browser
# test of notebook 05 in JupyterLab cannot pass there; the `lab` extra asks for ipywidgets 8.
DESELECTED = {"oldest": ["tests/test_browser.py"], "newest": []}
SHOWN = NAMES + ["ml-dtypes", "h5py", "ipykernel", "nbclient", "nbformat"]


def run(command, **kwargs):
    """Run `command` (a list), failing loudly; returns the completed process."""
    return subprocess.run(command, check=True, text=True, **kwargs)


def export(ref, folder):
    """The committed tree at `ref` into `folder` (git archive), so the run tests that commit."""
    archive = folder / "tree.tar"
    run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), ref])
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "tree", filter="data")
    archive.unlink()
    return folder / "tree"


def folder_size_mb(folder):
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def installed_versions(python):
    frozen = run([str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True).stdout
    versions = dict(line.split("==", 1) for line in frozen.splitlines() if "==" in line)
    lower = {name.lower().replace("_", "-"): version for name, version in versions.items()}
    return {name: lower.get(name, "-") for name in SHOWN}


def run_set(name, tree, scratch):
    """Install one set in a fresh venv and run the suite; returns (passed, summary dict)."""
    venv = scratch / f"venv-{name}"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    started = time.monotonic()
    run(pip + (["--upgrade"] if name == "newest" else []) + SETS[name])
    pinned = installed_versions(python)
    run(pip + [f"{tree}[test]"])
    install_seconds = time.monotonic() - started
    after = installed_versions(python)
    changed = {k: (pinned[k], after[k]) for k in NAMES if pinned[k] != after[k]}
    python_version = run(
        [str(python), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True
    ).stdout.strip()
    print(f"\n=== {name} set: Python {python_version}", flush=True)
    print(" | ".join(f"{k} {v}" for k, v in after.items()))
    print(
        f"install: {install_seconds:.0f} s, environment {folder_size_mb(venv):.0f} MB"
        + (
            f"; the package's install CHANGED {changed}"
            if changed
            else "; the package's install changed no version of the set"
        )
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WGAN_TUTORIAL_FAST", "WGAN_TUTORIAL_MNIST", "VIRTUAL_ENV")
    }
    environment["PATH"] = f"{venv / 'bin'}{os.pathsep}{environment.get('PATH', '')}"
    started = time.monotonic()
    deselect = [f"--deselect={test}" for test in DESELECTED[name]]
    for test in DESELECTED[name]:
        print(f"deselected: {test} (JupyterLab 4 renders ipywidgets 8 only)")
    tested = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:randomly", *deselect],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
    )
    test_seconds = time.monotonic() - started
    log = (tested.stdout + tested.stderr).splitlines()
    closing = next(
        (line for line in reversed(log) if re.search(r"\d+ (passed|failed)", line)),
        "(no pytest summary line)",
    )
    failures = [line for line in log if line.startswith(("FAILED", "ERROR"))]
    print(f"pytest: {closing.strip('= ')} (exit {tested.returncode}, {test_seconds:.0f} s)")
    for line in failures:
        print(f"  {line}")
    return tested.returncode == 0 and not changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=["oldest", "newest", "both"], default="both")
    parser.add_argument("--ref", default="HEAD", help="commit or tag to test (default HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="wgan_tutorial_sets_"))
    commit = run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.ref], capture_output=True
    ).stdout.strip()
    print(
        f"testing commit {commit} ({args.ref}) with {sys.executable.rsplit(os.sep, 1)[-1]} "
        f"{sys.version.split()[0]}",
        flush=True,
    )
    try:
        tree = export(args.ref, scratch)
        names = ["oldest", "newest"] if args.set == "both" else [args.set]
        results = {name: run_set(name, tree, scratch) for name in names}
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        "\n" + ", ".join(f"{name}: {'passed' if ok else 'FAILED'}" for name, ok in results.items())
    )
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
