"""Sphinx configuration of the course's website (build: python scripts/build_site.py).

The notebooks are rendered with their stored outputs (MyST-NB, nothing executed); the API
reference is generated from the package's docstrings by sphinx-autoapi, which finds every
module by walking the package's source, so it follows the package's layout. Everything the
build needs comes with the `site` extra: nothing is fetched while building.
"""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(ROOT))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # the registries page imports TensorFlow

from wgan_tutorial import __version__  # noqa: E402

project = "wgan-tutorial"
author = "wgan-tutorial contributors"
copyright = "wgan-tutorial contributors; MNIST subset CC BY-SA 3.0"
version = release = __version__

extensions = [
    "myst_nb",
    "autoapi.extension",
    "sphinx.ext.mathjax",
    "course_pages",
    "docstring_check",
    "plain_docstrings",
    "registries",
]

# The course repository and the ref every launch link names (a branch a fresh clone has).
course_repository = "wgan-tutorial/wgan-tutorial"
course_ref = "main"

# Notebooks: stored outputs only.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
# sphinx-autoapi reads the source without importing it and cannot follow constants assigned by
# unpacking (`A, B = 1, 2`) through `__all__` or a re-export; imports are checked by the tests.
suppress_warnings = ["mystnb.unknown_mime_type", "autoapi.python_import_resolution"]

# API reference: every public module, class and function of the package, from its source.
autoapi_dirs = [str(ROOT / "wgan_tutorial")]
autoapi_root = "reference/api"
autoapi_options = ["members", "undoc-members", "show-inheritance", "show-module-summary"]
autoapi_ignore = ["*/__main__.py", "*/assets/*"]
autoapi_add_toctree_entry = False
autoapi_keep_files = False
autoapi_member_order = "bysource"
autoapi_python_class_content = "both"

exclude_patterns = ["_build", "course/originals", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_theme = "furo"
html_title = f"wgan-tutorial {version}"
html_show_sourcelink = False
html_copy_source = False
# Keep "--data-dir" and quotes as written (the registries and docstrings hold command lines).
smartquotes = False
