"""Sphinx extension: the build warns (and under `-W` fails) on a public name without a docstring.

Public means: a module whose dotted path has no part starting with "_" (a package's
`__init__` counts as the package), and in it every module-level function and class, and every
method of a public class, whose name does not start with "_", except the methods that
implement a framework's hook and keep its documentation (Keras' `on_*` callbacks, `call`,
`get_config`, ..., pickle's `find_class`: `HOOKS`). The package's source is read with
`ast` (nothing is imported), found by walking its folders, so new modules are checked as soon
as they exist.
"""

import ast
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)
HOOKS = {
    "build",
    "call",
    "compute_output_shape",
    "find_class",
    "from_config",
    "get_config",
    "test_step",
    "train_step",
}


def is_hook(name):
    """Whether a method named `name` implements a framework's hook (see the module doc)."""
    return name.startswith("on_") or name in HOOKS


def module_name(path, root):
    """Dotted name of the module at `path` in the package folder `root`."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def undocumented(path, root):
    """[(dotted name, line)] of the public definitions in `path` that have no docstring."""
    name = module_name(path, root)
    if any(part.startswith("_") for part in name.split(".")):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    missing = [] if ast.get_docstring(tree) else [(name, 1)]
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for node in tree.body:
        if not isinstance(node, definitions) or node.name.startswith("_"):
            continue
        if not ast.get_docstring(node):
            missing.append((f"{name}.{node.name}", node.lineno))
        if isinstance(node, ast.ClassDef):
            missing += [
                (f"{name}.{node.name}.{method.name}", method.lineno)
                for method in node.body
                if isinstance(method, definitions[:2])
                and not method.name.startswith("_")
                and not is_hook(method.name)
                and not ast.get_docstring(method)
            ]
    return missing


def check_docstrings(app):
    """Warn once for each public module, class or function of the package lacking a docstring."""
    for folder in app.config.autoapi_dirs:
        root = Path(folder)
        for path in sorted(root.rglob("*.py")):
            if path.name == "__main__.py":
                continue
            for name, line in undocumented(path, root):
                logger.warning(
                    f"public name without a docstring: {name}", location=f"{path}:{line}"
                )


def setup(app):
    app.connect("builder-inited", check_docstrings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
