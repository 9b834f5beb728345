"""The command line's boundary: what a rejected command leaves behind, and library errors
that reach it untranslated.

- `new_outputs` / `remove_empty`: the output folders a command was given that did not exist
  before it ran; when the command is rejected, those it created and left empty (or holding
  only empty folders) are removed, so a refused command leaves nothing behind.
- `library_error_line`: an `OSError` (or a zip or end-of-file error) that no reader turned
  into the package's words, as one line naming the file and the cause.
"""

import os
import zipfile
from pathlib import Path

# options whose value is a file or folder the command may create
OUTPUT_OPTIONS = ("out", "save_dir", "samples_dir", "sonify")


def new_outputs(args):
    """The output paths of `args` (`OUTPUT_OPTIONS`) that do not exist yet."""
    paths = [getattr(args, name, None) for name in OUTPUT_OPTIONS]
    return [Path(path) for path in paths if path and not os.path.lexists(path)]


def remove_empty(paths):
    """Remove each folder of `paths` that holds nothing but empty folders (files are kept)."""
    for path in paths:
        if not path.is_dir() or path.is_symlink():
            continue
        inside = sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True)
        if all(p.is_dir() and not p.is_symlink() for p in inside):
            for folder in inside:
                folder.rmdir()
            path.rmdir()


LIBRARY_ERRORS = (OSError, EOFError, zipfile.BadZipFile)


def library_error_line(error):
    """One line for a library error that reached the command line untranslated."""
    if isinstance(error, OSError) and error.filename is not None:
        cause = error.strerror or type(error).__name__
        return f"{error.filename}: {cause[0].lower()}{cause[1:]}"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else 'no message'}"[:300]
