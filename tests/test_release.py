"""Every git ref that users are told to open or install exists, and the version is consistent.

Refs are read from README.md and from every notebook's cells: the `blob/<ref>/` of Colab and
Kaggle links, the `/v2/gh/<owner>/<name>/<ref>` of Binder links, the `@<ref>` of
`pip install "... @ git+https://...@<ref>"` lines and the `--branch <ref>` of clone lines. Each
must be a branch or a tag of this repository: a tag that a fresh clone does not have breaks
every badge. The version in `wgan_tutorial/__init__.py` must be a PEP 440 version that agrees
with CHANGES.md: a development version (`X.Y.Z.devN`) with an "Unreleased" section on top, a
release `X.Y.Z` with its own section on top (README, "Releasing").
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md"] + sorted((ROOT / "notebooks").glob("*.ipynb"))
REF = r"([A-Za-z0-9][A-Za-z0-9._/-]*?)"
REF_PATTERNS = [
    re.compile(r"github(?:\.com)?/[\w.-]+/[\w.-]+/blob/" + REF + r"/"),
    re.compile(r"mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/" + REF + r"(?:[?\s)\"']|$)"),
    re.compile(r"git\+https://github\.com/[\w.-]+/[\w.-]+?(?:\.git)?@" + REF + r"[\"'\s#]"),
    re.compile(r"--branch[ =]" + REF + r"(?:[\s`\"')]|$)"),
]


def document_text(path):
    """The text a reader sees of README.md or a notebook (every cell's source and outputs)."""
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells)


def named_refs(text):
    """The set of git refs that `text` names in links, install lines and clone lines."""
    return {match.group(1) for pattern in REF_PATTERNS for match in pattern.finditer(text)}


def git(*arguments):
    """Run git in the repository; (exit status, stdout)."""
    done = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True)
    return done.returncode, done.stdout.strip()


def ref_exists(ref):
    """Whether `ref` is a branch or a tag of this repository (Binder's HEAD always is).

    A branch of `origin` counts too: a CI checkout of a pull request has no local `main`.
    """
    if ref == "HEAD":
        return True
    return any(
        git("rev-parse", "--verify", "--quiet", f"refs/{kind}/{ref}")[0] == 0
        for kind in ("heads", "tags", "remotes/origin")
    )


def require_a_git_checkout():
    """Skip, saying why, unless git is installed and the repository is a git checkout."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the refs cannot be checked")
    if git("rev-parse", "--git-dir")[0] != 0:
        pytest.skip("not a git checkout (e.g. an unpacked sdist): the refs cannot be checked")


def test_ref_patterns_find_each_kind_of_ref():
    text = """[![c](b.svg)](https://colab.research.google.com/github/o/r/blob/main/notebooks/a.ipynb)
    https://kaggle.com/kernels/welcome?src=https://github.com/o/r/blob/v1.0.0/notebooks/a.ipynb
    https://mybinder.org/v2/gh/o/r/HEAD?labpath=notebooks%2Fa.ipynb
    %pip install -q "wgan-tutorial @ git+https://github.com/o/r@release/2"
    git clone --branch v0.2.0 https://github.com/o/r.git"""
    assert named_refs(text) == {"main", "v1.0.0", "HEAD", "release/2", "v0.2.0"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_ref_named_exists_in_the_repository(document):
    require_a_git_checkout()
    refs = named_refs(document_text(document))
    missing = sorted(ref for ref in refs if not ref_exists(ref))
    known = git("for-each-ref", "--format=%(refname:short)")[1].split()
    assert not missing, (
        f"{document.name} names refs this repository does not have: "
        f"{missing} (branches and tags: {known})"
    )


def test_the_readme_names_a_ref_users_can_install():
    assert named_refs(document_text(ROOT / "README.md")), "README names no ref to install"


def test_version_is_pep440_and_agrees_with_changes():
    from wgan_tutorial import __version__

    try:
        version = Version(__version__)
    except InvalidVersion:
        pytest.fail(f"__version__ {__version__!r} is not a PEP 440 version")
    sections = re.findall(r"^## (\S+)", (ROOT / "CHANGES.md").read_text(encoding="utf-8"), re.M)
    released = [Version(name) for name in sections if name != "Unreleased"]
    if version.is_devrelease:
        assert sections[0] == "Unreleased", (
            f"{__version__} is a development version: CHANGES.md must start with ## Unreleased"
        )
        assert all(version.release > old.release for old in released), (
            f"{__version__} is not after the last release {released[0]}"
        )
    else:
        assert sections[0] == __version__, (
            f"{__version__} is a release: CHANGES.md must start with its section, "
            f"not ## {sections[0]}"
        )
        assert "Unreleased" not in sections
