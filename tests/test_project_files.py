"""The repository's own promises: badges, dependency lists, README and CI in step."""

import json
import os
import re
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REPO_URL = PYPROJECT["project"]["urls"]["Repository"]  # the one place the URL lives
REPO_PATH = REPO_URL.removeprefix("https://github.com/")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _names(requirements):
    """Package names of requirement strings, normalised ("ipywidgets>=8.1" -> "ipywidgets")."""
    names = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9_.\-]+)", requirement)
        if match and requirement.strip() not in ("pip", "-e .") and not requirement.startswith("-"):
            names.add(match.group(1).lower().replace("_", "-"))
    return names


def _conda_pip_requirements(path):
    """The pip: block of a conda environment file (a tiny reader for our own files)."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "- pip:")
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith(" " * 6 + "- "):
            break
        block.append(line.strip()[2:])
    return block


def test_environment_files_list_the_same_packages_as_pyproject():
    extras = PYPROJECT["project"]["optional-dependencies"]
    runtime = _names(PYPROJECT["project"]["dependencies"])
    # Local conda: the course, JupyterLab and the tests.
    expected = runtime | _names(extras["lab"]) | _names(extras["test"])
    assert _names(_conda_pip_requirements(ROOT / "environment.yml")) == expected
    # Binder: the course and what it resolved to (scripts/binder_lock.py); repo2docker brings
    # JupyterLab, students run no tests.
    binder = _names(_conda_pip_requirements(ROOT / "binder" / "environment.yml"))
    assert runtime <= binder and not binder & {"jupyterlab", "pytest", "nbval", "playwright"}


def _lower_bounds(requirements):
    """{name: "x.y.z"} of requirement strings "name>=x.y.z" (environment files: "name>=...")."""
    return {
        re.match(r"[A-Za-z0-9_.\-]+", r).group(0).lower(): r.split(">=")[1].split(",")[0]
        for r in requirements
        if ">=" in r
    }


def test_pyproject_pins_lower_bounds_and_binder_pins_exactly():
    for requirement in PYPROJECT["project"]["dependencies"]:
        assert ">=" in requirement and "==" not in requirement, requirement
    for requirement in _conda_pip_requirements(ROOT / "binder" / "environment.yml"):
        assert "==" in requirement, requirement
    # The local conda file states the same minimums as pyproject.
    extras = PYPROJECT["project"]["optional-dependencies"]
    everything = PYPROJECT["project"]["dependencies"] + extras["lab"] + extras["test"]
    assert _lower_bounds(_conda_pip_requirements(ROOT / "environment.yml")) == _lower_bounds(
        everything
    )


def test_package_checks_the_same_minimums_as_pyproject():
    from wgan_tutorial import config

    bounds = _lower_bounds(PYPROJECT["project"]["dependencies"])
    assert tuple(map(int, bounds["tensorflow"].split(".")[:2])) == config.MIN_TENSORFLOW
    assert tuple(map(int, bounds["keras"].split(".")[:2])) == config.MIN_KERAS
    assert f'"tensorflow>={bounds["tensorflow"][:4]}"' in config.INSTALL_HINT


def test_oldest_dependency_set_of_the_benchmark_is_pyprojects_lower_bounds():
    script = (ROOT / "benchmarks" / "dependency_sets.py").read_text()
    extras = PYPROJECT["project"]["optional-dependencies"]
    for name, version in _lower_bounds(
        PYPROJECT["project"]["dependencies"] + extras["test"]
    ).items():
        assert f'"{name}=={version}"' in script, name


def test_readme_states_the_pythons_that_pyproject_allows():
    low, high = re.fullmatch(
        r">=3\.(\d+),<3\.(\d+)", PYPROJECT["project"]["requires-python"]
    ).groups()
    assert f"Python 3.{low} to 3.{int(high) - 1}" in (ROOT / "README.md").read_text()


def test_license_is_an_spdx_expression_with_the_mnist_note():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT AND CC-BY-SA-3.0"
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    note = (ROOT / "LICENSE-MNIST.md").read_text()
    assert "CC BY-SA 3.0" in note and "mnist_subset.npz" in note


def test_version_has_one_source_and_a_changes_entry():
    from wgan_tutorial import __version__

    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "wgan_tutorial.__version__"
    }
    # A development version's changes are under "Unreleased" (tests/test_release.py).
    heading = "Unreleased" if ".dev" in __version__ else re.escape(__version__) + " "
    assert re.search(rf"^## {heading}", (ROOT / "CHANGES.md").read_text(), re.M)


def test_conftest_defaults_to_fast_mode_but_honours_an_explicit_setting():
    import os
    import subprocess
    import sys

    def fast_after_conftest(value):
        environment = {k: v for k, v in os.environ.items() if k != "WGAN_TUTORIAL_FAST"}
        if value is not None:
            environment["WGAN_TUTORIAL_FAST"] = value
        script = (
            "import os, runpy; runpy.run_path('conftest.py'); "
            "print(os.environ['WGAN_TUTORIAL_FAST'])"
        )
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert fast_after_conftest(None) == "1"
    assert fast_after_conftest("0") == "0"
    assert fast_after_conftest("1") == "1"


# The branch that Colab and Kaggle open and install: tags do not reach users' clones, so every
# ref users name is main's (tests/test_release.py checks that it exists).
INSTALL_REF = "main"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_badges_point_at_their_own_notebook(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    header = "".join(cells[0]["source"])
    own = f"notebooks/{notebook.name}"
    # Colab and Kaggle open the notebook of the branch their install cell installs; Binder
    # builds the branch tip, package and notebook alike.
    release = f"https://github.com/{REPO_PATH}/blob/{INSTALL_REF}/{own}"
    colab = f"https://colab.research.google.com/github/{REPO_PATH}/blob/{INSTALL_REF}/{own}"
    kaggle = f"https://kaggle.com/kernels/welcome?src={release}"
    binder = f"https://mybinder.org/v2/gh/{REPO_PATH}/HEAD?labpath={own.replace('/', '%2F')}"
    links = re.findall(r"\)\]\((https://(?:colab|kaggle|mybinder)[^)]+)\)", header)
    assert sorted(links) == sorted([colab, kaggle, binder])


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_setup_cell_installs_the_release_on_colab_and_kaggle_only(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    setup = next(c for c in cells if c["cell_type"] == "code")
    code = "".join(setup["source"])
    condition = 'if "google.colab" in sys.modules or "KAGGLE_KERNEL_RUN_TYPE" in os.environ:'
    assert condition in code
    install = code.split(condition)[1].split("\n")[1].strip()
    # Only the package, from the branch the badges open: pip keeps every dependency the
    # platform has (no --upgrade, no TensorFlow, no JupyterLab extra).
    assert install == f'%pip install -q "wgan-tutorial @ git+{REPO_URL}@{INSTALL_REF}"'
    assert code.rstrip().endswith("wgan_tutorial.setup_notebook()")
    printed = "".join("".join(output.get("text", "")) for output in setup["outputs"])
    # the version the stored run printed (a release's or a development version)
    assert re.search(r"wgan_tutorial \d+\.\d+\.\d+\S* \|", printed) and "fast mode: off" in printed
    assert not re.search(r"/(work|tmp|root|home)/", printed)


def test_readme_badges_and_links_use_the_repository_url():
    readme = (ROOT / "README.md").read_text()
    for link in re.findall(
        r"https://(?:colab\.research\.google\.com|mybinder\.org)[^)\s]+", readme
    ):
        if "badge" in link.split("/")[-1]:
            continue
        assert REPO_PATH in link, link
    for notebook in NOTEBOOKS:
        assert f"notebooks/{notebook.name}" in readme


def test_ci_runs_the_readmes_install_and_test_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    install_and_test = re.search(r'pip install -e "\.\[test\]" && (\S+)', readme)
    assert install_and_test, "README lost its install-and-test command"
    assert 'pip install --quiet -e ".[test]"' in ci
    assert re.search(rf"^{install_and_test.group(1)}\b", ci, re.M)


def test_shipped_assets_are_package_data():
    package = ROOT / "wgan_tutorial"
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["wgan_tutorial"]
    declared = {path for pattern in patterns for path in package.glob(pattern) if path.is_file()}
    assets = {path for path in (package / "assets").rglob("*") if path.is_file()}
    assert assets and assets <= declared, sorted(str(p) for p in assets - declared)


MACHINE_PATH = re.compile(
    r"(/root/|/home/[a-z_][\w-]*/|/Users/\w|/work/|/tmp/|/var/folders/|[A-Z]:\\Users)"
)
TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".json", ".toml", ".yml", ".yaml", ".cfg", ".txt", ".cff"}
SKIPPED_FOLDERS = {
    ".git",
    ".venv",
    "venv",
    "_build",
    "__pycache__",
    "node_modules",
    "build",
    "dist",
}


def committed_text_files():
    """The project's text files (sources, notebooks with their outputs, docs, records)."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name not in SKIPPED_FOLDERS
            and (not name.startswith(".") or name in (".ci", ".github"))
        )
        for name in sorted(files):
            if Path(name).suffix in TEXT_SUFFIXES:
                yield Path(folder) / name


def test_no_file_names_a_path_of_the_machine_it_was_made_on():
    # a notebook re-run on a developer's machine stores what the cells printed: a home folder
    # or a scratch path there means nothing to a student (and says who ran it)
    found = []
    for path in committed_text_files():
        if path == Path(__file__).resolve():
            continue  # the pattern itself
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MACHINE_PATH.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert len(list(committed_text_files())) > 50
    assert not found, "\n".join(found[:20])
