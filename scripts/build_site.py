"""Build the course's website into docs/_build/html (or --out), failing on any warning.

    pip install -e ".[site]"
    python scripts/build_site.py            # then open docs/_build/html/index.html

Sphinx with MyST-NB renders the notebooks with their stored outputs (nothing is executed) and
sphinx-autoapi the API reference; nothing is downloaded while building. Under `-W` a warning is
an error, so the build fails on a broken internal link, a missing image, a notebook missing
from the table of contents (docs/index.md) or a public function without a docstring. Prints
the build's time and size. `--check` then runs the real-browser test, tests/test_site.py, on
what it built (it needs the system Chromium and the `test` extra).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def folder_size(path):
    """Total bytes of the files under `path`."""
    return sum(file.stat().st_size for file in Path(path).rglob("*") if file.is_file())


def build(out, fresh=True):
    """Run Sphinx on docs/ into `out`; returns its exit status."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        str(ROOT / "docs"),
        str(out),
    ]
    if fresh:
        command.insert(3, "-E")  # read every source again, not only the changed ones
    return subprocess.run(command, cwd=ROOT).returncode


def main(argv=None):
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs" / "_build" / "html",
        help="output folder (default: docs/_build/html)",
    )
    parser.add_argument(
        "--incremental", action="store_true", help="rebuild only the pages whose sources changed"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="then open every page in headless Chromium (tests/test_site.py)",
    )
    args = parser.parse_args(argv)
    if args.check:
        sys.path.insert(0, str(ROOT))
        from tests.test_site import missing_tools

        if missing_tools():
            parser.error("--check needs " + "; ".join(missing_tools()))
    start = time.perf_counter()
    status = build(args.out, fresh=not args.incremental)
    seconds = time.perf_counter() - start
    if status:
        print(
            f"site build failed after {seconds:.0f} s (warnings above are errors)", file=sys.stderr
        )
        return status
    print(
        f"site built in {seconds:.0f} s: {args.out / 'index.html'} "
        f"({folder_size(args.out) / 1e6:.1f} MB)"
    )
    if args.check:
        environment = {**os.environ, "WGAN_TUTORIAL_SITE": str(args.out.resolve())}
        test = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:nbval",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-rs",
            "-q",
            "tests/test_site.py",
        ]
        return subprocess.run(test, cwd=ROOT, env=environment).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
