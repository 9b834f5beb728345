"""Sphinx extension: a page listing the package's registries and their entries.

A registry is a module-level dict with an upper-case name whose values are named tuples
(`data.DATASETS`, `losses.LOSSES`, `metrics.FEATURE_EXTRACTORS`, ...). They are found by
importing every module of the package (`pkgutil.walk_packages`), so a registry added or moved
appears without changing this file. The page, `reference/registries.md`, is a build product.
"""

import importlib
import pkgutil
from pathlib import Path

HEADER = """# Registries

The package looks names up in these tables: a command-line option such as `--dataset`,
`--loss` or `--features` takes one of their keys. Generated from the package at build time.
"""


def registries(package_name):
    """[(dotted name, dict)] of the registries of the package, each listed once."""
    package = importlib.import_module(package_name)
    found, seen = [], set()
    modules = [package] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, package_name + ".")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    for module in modules:
        for name, value in vars(module).items():
            if (
                name.isupper()
                and isinstance(value, dict)
                and value
                and id(value) not in seen
                and all(hasattr(entry, "_fields") for entry in value.values())
            ):
                seen.add(id(value))
                found.append((f"{module.__name__}.{name}", value))
    return found


def cell(value):
    """A value as the text of a markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def registry_table(entries):
    """A markdown table: one row per entry, a column per field holding text or a number."""
    first = next(iter(entries.values()))
    fields = [
        f
        for f in first._fields
        if f != "name"
        and all(
            isinstance(getattr(e, f), (str, int, float, tuple, type(None)))
            for e in entries.values()
        )
    ]
    rows = ["| name | " + " | ".join(fields) + " |", "|---" * (len(fields) + 1) + "|"]
    rows += [
        f"| `{key}` | " + " | ".join(cell(getattr(entry, f)) for f in fields) + " |"
        for key, entry in entries.items()
    ]
    return "\n".join(rows)


def write_registries_page(app):
    """Write reference/registries.md from the package (see the module doc)."""
    parts = [HEADER]
    for name, entries in registries(app.config.registries_package):
        parts += [f"## `{name}`", "", registry_table(entries), ""]
    path = Path(app.srcdir) / "reference" / "registries.md"
    text = "\n".join(parts)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def setup(app):
    app.add_config_value("registries_package", "wgan_tutorial", "env")
    app.connect("builder-inited", write_registries_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
