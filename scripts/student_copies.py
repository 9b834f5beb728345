"""Write the notebooks without their exercise solutions, and the solutions apart.

    python scripts/student_copies.py --out handout

writes `handout/students/NN_name.ipynb`, each notebook of `notebooks/` with every solution
removed, and `handout/answer_key.md`, every solution under its notebook's name, in order. A
solution is a `<details>` block whose summary starts with "Solution" in a markdown cell (as
the course writes them: `<details><summary>Solution 2</summary> ... </details>`). A cell that
held only solutions is left out; every other cell, its source, outputs and metadata, is copied
unchanged. The notebooks in the repository are not changed.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = re.compile(
    r"<details>\s*<summary>\s*(Solution[^<]*)</summary>(.*?)</details>[ \t]*\n?", re.DOTALL
)


def split_solutions(source):
    """(source without its solutions, [(summary, body)]) of a markdown cell's text."""
    found = [(m.group(1).strip(), m.group(2).strip("\n")) for m in SOLUTION.finditer(source)]
    remaining = SOLUTION.sub("", source)
    if found:
        remaining = re.sub(r"\n{3,}", "\n\n", remaining).rstrip("\n")
    return remaining, found


def as_lines(text):
    """A cell source in the notebook format's list-of-lines form."""
    return text.splitlines(keepends=True)


def student_copy(notebook):
    """(notebook without solutions, [(summary, body)]) of a notebook dict (not changed)."""
    cells, solutions = [], []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            cells.append(cell)
            continue
        remaining, found = split_solutions("".join(cell["source"]))
        solutions += found
        if not found:
            cells.append(cell)
        elif remaining.strip():
            cells.append({**cell, "source": as_lines(remaining)})
    return {**notebook, "cells": cells}, solutions


def answer_key(keyed):
    """The answer key in markdown from [(notebook name, [(summary, body)])]."""
    parts = [
        "# Answer key",
        "",
        "The solutions of the course's exercises, notebook by notebook, as written in the",
        "notebooks (`scripts/student_copies.py` wrote this file).",
        "",
    ]
    for name, solutions in keyed:
        if solutions:
            parts += [f"## {name}", ""]
            for number, (summary, body) in enumerate(solutions, 1):
                # Number the solutions of a notebook where their summaries do not.
                title = (
                    summary
                    if len(solutions) == 1 or re.search(r"\d", summary)
                    else f"{summary} {number}"
                )
                parts += [f"### {title}", "", body.strip("\n"), ""]
    return "\n".join(parts)


def write_copies(notebooks, out):
    """Write out/students/*.ipynb and out/answer_key.md; returns the number of solutions."""
    students = Path(out) / "students"
    students.mkdir(parents=True, exist_ok=True)
    keyed = []
    for path in notebooks:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        copy, solutions = student_copy(notebook)
        text = json.dumps(copy, indent=1, ensure_ascii=False) + "\n"
        (students / path.name).write_text(text, encoding="utf-8")
        keyed.append((path.stem, solutions))
    (Path(out) / "answer_key.md").write_text(answer_key(keyed), encoding="utf-8")
    return sum(len(solutions) for _, solutions in keyed)


def main(argv=None):
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=ROOT / "notebooks",
        help="folder of the course's notebooks (default: notebooks/)",
    )
    args = parser.parse_args(argv)
    notebooks = sorted(args.notebooks.glob("*.ipynb"))
    if not notebooks:
        parser.error(f"--notebooks: no .ipynb file in {args.notebooks}")
    count = write_copies(notebooks, args.out)
    print(
        f"{len(notebooks)} student notebooks in {args.out / 'students'}; "
        f"{count} solutions in {args.out / 'answer_key.md'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
