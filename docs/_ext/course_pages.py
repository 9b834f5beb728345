"""Sphinx extension: the course's notebooks as pages of the site, in the course's order.

At the start of each build, every notebook of `notebooks/` is copied to `docs/course/` as the
site shows it: the badge line of its first cell (images served by Colab, Kaggle and Binder)
becomes a bar of plain launch links naming the notebook's own path and the ref
`course_ref`, with a download of the notebook as committed; widget outputs, which need a live
kernel, are left out (each explorer has a static figure of its default view beside it). The
copies are build products (ignored by git). Which notebooks appear, and in which order, is the
toctree of `docs/index.md`: a notebook missing from it fails the build ("document isn't
included in any toctree", an error under `-W`).
"""

import copy
import json
import re
import shutil
from pathlib import Path

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
BADGES = re.compile(r"^\s*(\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)\s*)+$")


def launch_links(repository, ref, name):
    """{label: url} opening notebooks/`name` of `repository` at `ref` on each service."""
    blob = f"https://github.com/{repository}/blob/{ref}/notebooks/{name}"
    return {
        "Open in Colab": f"https://colab.research.google.com/github/{repository}/blob/{ref}/"
        f"notebooks/{name}",
        "Open in Kaggle": f"https://kaggle.com/kernels/welcome?src={blob}",
        "Launch Binder": f"https://mybinder.org/v2/gh/{repository}/{ref}"
        f"?labpath=notebooks%2F{name}",
    }


def launch_bar(repository, ref, name):
    """A MyST block: the launch links and a download of the notebook."""
    links = " ".join(
        f"[{label}]({url})" for label, url in launch_links(repository, ref, name).items()
    )
    download = f"{{download}}`Download the notebook <originals/{name}>`"
    return f":::{{container}} launch-bar\n{links} {download}\n:::\n"


def site_copy(notebook, repository, ref, name):
    """The notebook dict as the site shows it (the input is not changed)."""
    notebook = copy.deepcopy(notebook)
    notebook["metadata"].pop("widgets", None)
    first = notebook["cells"][0]
    lines = "".join(first["source"]).split("\n")
    lines = [line for line in lines if not BADGES.match(line)]
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[title + 1 : title + 1] = ["", launch_bar(repository, ref, name)]
    first["source"] = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [
                output for output in cell["outputs"] if WIDGET_MIME not in output.get("data", {})
            ]
    return notebook


def write_if_changed(path, text):
    """Write `text` to `path` unless it already holds it (keeps Sphinx's rebuilds incremental)."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def copy_notebooks(app):
    """Copy each notebook of the repository into the site's sources (see the module doc)."""
    source = Path(app.confdir).parent / "notebooks"
    target = Path(app.srcdir) / "course"
    wanted = {path.name for path in source.glob("*.ipynb")}
    for stale in target.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for path in sorted(source.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        shown = site_copy(notebook, app.config.course_repository, app.config.course_ref, path.name)
        write_if_changed(target / path.name, json.dumps(shown, indent=1, ensure_ascii=False))
        (target / "originals").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / "originals" / path.name)


def setup(app):
    app.add_config_value("course_repository", "", "env")
    app.add_config_value("course_ref", "main", "env")
    app.connect("builder-inited", copy_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
