"""Rewrite binder/environment.yml's pip list: the course's pins and everything they resolve to.

    python scripts/binder_lock.py

Reads the exact pins of the package's own dependencies (the names in pyproject.toml's
`dependencies`) from binder/environment.yml, asks pip for a fresh resolve of them on this
machine's Python (`pip install --dry-run --ignore-installed --report`, nothing installed), and
writes every resolved package pinned exactly: the direct ones first, the rest by name. Run it on
Linux x86_64 with the Python of environment.yml (Binder's platform) after changing a pin.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENT = ROOT / "binder" / "environment.yml"
PIN_LINE = re.compile(r"^ {6}- ([A-Za-z0-9_.\-]+)==(\S+)$")


def normalise(name):
    """A package name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_names():
    """Normalised names of pyproject.toml's dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [normalise(re.match(r"[A-Za-z0-9_.\-]+", r).group(0)) for r in project["dependencies"]]


def resolve(pins):
    """{name: version} of everything pip resolves `pins` ("name==version") to."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--dry-run",
                "--quiet",
                "--ignore-installed",
                "--report",
                str(report),
                *pins,
            ],
            check=True,
        )
        installs = json.loads(report.read_text())["install"]
    return {normalise(i["metadata"]["name"]): i["metadata"]["version"] for i in installs}


def main():
    """Rewrite the pip list of binder/environment.yml (see the module docstring)."""
    lines = ENVIRONMENT.read_text().splitlines()
    pinned = {normalise(m.group(1)): m.group(2) for m in map(PIN_LINE.match, lines) if m}
    direct = direct_names()
    missing = [name for name in direct if name not in pinned]
    if missing:
        sys.exit(f"binder/environment.yml pins none of {missing}: add `name==version` lines")
    resolved = resolve([f"{name}=={pinned[name]}" for name in direct])
    order = direct + sorted(name for name in resolved if name not in direct)
    start = next(i for i, line in enumerate(lines) if PIN_LINE.match(line))
    end = max(i for i, line in enumerate(lines) if PIN_LINE.match(line)) + 1
    lines[start:end] = [f"      - {name}=={resolved[name]}" for name in order]
    ENVIRONMENT.write_text("\n".join(lines) + "\n")
    print(f"binder/environment.yml: {len(direct)} direct pins, {len(order)} packages in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
