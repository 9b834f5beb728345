"""scripts/student_copies.py on the real notebooks: no solution left, every solution in the key.

The oracle is independent of the script: solutions are found here by splitting each markdown
cell at its `<details>` tags, and every other part of every cell must reach the student copy
unchanged.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def solution_blocks(text):
    """[(whole block, body)] of the `<details>` blocks whose summary starts with "Solution"."""
    blocks = []
    for piece in text.split("<details>")[1:]:
        inner = piece.split("</details>")[0]
        summary, _, body = inner.partition("</summary>")
        if summary.strip().removeprefix("<summary>").strip().startswith("Solution"):
            blocks.append(("<details>" + inner + "</details>", body.strip()))
    return blocks


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "student_copies.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def test_the_course_has_solutions_to_remove():
    texts = ["".join(c["source"]) for nb in NOTEBOOKS for c in json.loads(nb.read_text())["cells"]]
    assert sum(len(solution_blocks(text)) for text in texts) >= 20


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_student_copy_keeps_everything_but_the_solutions(handout, notebook):
    original = json.loads(notebook.read_text())
    copy = json.loads((handout / "students" / notebook.name).read_text())
    key = (handout / "answer_key.md").read_text()
    student_text = "".join("".join(c["source"]) for c in copy["cells"])
    assert "<summary>Solution" not in student_text
    kept = iter(copy["cells"])
    for cell in original["cells"]:
        text = "".join(cell["source"])
        blocks = solution_blocks(text) if cell["cell_type"] == "markdown" else []
        for _, body in blocks:
            assert body in key
            assert body not in student_text
        rest = text
        for block, _ in blocks:
            rest = rest.replace(block, "\0")
        parts = [part.strip("\n") for part in rest.split("\0") if part.strip()]
        if not parts:
            continue  # a cell of solutions only is left out
        shown = next(kept)
        if not blocks:
            assert shown == cell  # source, outputs and metadata byte for byte
        else:
            shown_text = "".join(shown["source"])
            assert shown["cell_type"] == "markdown"
            position = 0
            for part in parts:  # the rest of the cell, in order
                position = shown_text.index(part, position) + len(part)
    assert next(kept, None) is None
    assert copy["metadata"] == original["metadata"]
