"""The repository's own promises: badges, dependency lists, README and CI in step."""
import json
import re
import tomllib
from pathlib import Path

import pytest

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
    for line in lines[start + 1:]:
        if not line.startswith(" " * 6 + "- "):
            break
        block.append(line.strip()[2:])
    return block


def test_environment_files_list_the_same_packages_as_pyproject():
    expected = _names(PYPROJECT["project"]["dependencies"])
    expected |= _names(PYPROJECT["project"]["optional-dependencies"]["test"])
    assert _names(_conda_pip_requirements(ROOT / "environment.yml")) == expected
    assert _names(_conda_pip_requirements(ROOT / "binder" / "environment.yml")) == expected


def test_pyproject_pins_lower_bounds_and_binder_pins_exactly():
    for requirement in PYPROJECT["project"]["dependencies"]:
        assert ">=" in requirement and "==" not in requirement, requirement
    for requirement in _conda_pip_requirements(ROOT / "binder" / "environment.yml"):
        assert "==" in requirement, requirement


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_badges_point_at_their_own_notebook(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    header = "".join(cells[0]["source"])
    own = f"notebooks/{notebook.name}"
    colab = f"https://colab.research.google.com/github/{REPO_PATH}/blob/main/{own}"
    binder = f"https://mybinder.org/v2/gh/{REPO_PATH}/HEAD?labpath={own.replace('/', '%2F')}"
    assert colab in header and binder in header
    links = re.findall(r"\)\]\((https://(?:colab|mybinder)[^)]+)\)", header)  # link targets
    assert links and all(link in (colab, binder) for link in links)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_setup_cell_installs_from_the_repository_on_colab(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    first_code = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert '"google.colab" in sys.modules' in first_code
    assert f"git+{REPO_URL}" in first_code
    assert "tensorflow" not in first_code.split("%pip install")[1].split("\n")[0]
    assert "setup_notebook()" in first_code


def test_readme_badges_and_links_use_the_repository_url():
    readme = (ROOT / "README.md").read_text()
    for link in re.findall(r"https://(?:colab\.research\.google\.com|mybinder\.org)[^)\s]+", readme):
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
