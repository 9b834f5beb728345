"""Every number quoted in the notebooks' prose still says what its source says.

`notebooks/claims.json` lists quoted passages, the number each quotes and where that number
comes from: a stored output cell (notebook and cell id, and a regular expression whose first
group is the printed number), another notebook's markdown (the same), a JSON record shipped
with the package (file and key path), or a closed-form formula. This test reads the committed
notebooks and records only (no TensorFlow, no training): it fails when a re-run changes an
output, or an edit changes the prose, so that the two no longer agree.
"""

import ast
import json
import math
import operator
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = json.loads((ROOT / "notebooks" / "claims.json").read_text(encoding="utf-8"))["claims"]


def _squash(text):
    return " ".join(text.split())


def _notebook(name):
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def _cell(name, cell_id):
    cells = [cell for cell in _notebook(name)["cells"] if cell.get("id") == cell_id]
    assert len(cells) == 1, f"{name}: no cell with id {cell_id}"
    return cells[0]


def _output_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append("".join(output["text"]))
        elif "text/plain" in output.get("data", {}):
            parts.append("".join(output["data"]["text/plain"]))
    return "".join(parts)


_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
}


def _evaluate(node):
    """Arithmetic on numbers with + - * / ** and sqrt(), nothing else."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "sqrt":
        return math.sqrt(_evaluate(node.args[0]))
    raise ValueError(f"not allowed in a formula: {ast.dump(node)}")


def source_number(source):
    """The number a claim's source says, as a float."""
    if "formula" in source:
        return float(_evaluate(ast.parse(source["formula"], mode="eval")))
    if "record" in source:
        value = json.loads((ROOT / source["record"]).read_text(encoding="utf-8"))
        for key in source["key"]:
            value = value[key]
        return float(value)
    if "output" in source:
        text = _output_text(_cell(*source["output"]))
    else:
        text = "".join(_cell(*source["markdown"])["source"])
    match = re.search(source["pattern"], text)
    assert match, f"{source}: the pattern is not in the source's text"
    return float(match.group(1).replace(",", ""))


def _rounded(value, claim):
    if "decimals" in claim:
        return round(value, claim["decimals"])
    if "significant" in claim:
        return float(f"{value:.{claim['significant'] - 1}e}")
    return value


def _label(claim):
    return f"{claim['notebook'][:2]}: {claim['quote'][:40]}"


@pytest.mark.parametrize("claim", CLAIMS, ids=[_label(claim) for claim in CLAIMS])
def test_quoted_number_matches_its_source(claim):
    markdown = _squash(
        " ".join(
            "".join(cell["source"])
            for cell in _notebook(claim["notebook"])["cells"]
            if cell["cell_type"] == "markdown"
        )
    )
    assert _squash(claim["quote"]) in markdown, "the quote is no longer in the notebook's prose"
    number = source_number(claim["source"]) * claim.get("scale", 1.0)
    if "at_most" in claim:
        assert number <= claim["at_most"], f"the source says {number:g}"
        return
    assert claim["value"] in claim["quote"]
    quoted = float(claim["value"].replace(",", ""))
    assert math.isclose(_rounded(number, claim), quoted, rel_tol=1e-9), (
        f"the prose says {claim['value']}, the source {number:g}"
    )


def test_claims_cover_every_notebook_with_checked_numbers():
    """The table names existing notebooks only, and each of its claims once."""
    names = {path.stem for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert {claim["notebook"] for claim in CLAIMS} <= names
    keys = [
        (claim["notebook"], claim["quote"], claim["value"], json.dumps(claim["source"]))
        for claim in CLAIMS
    ]
    assert len(keys) == len(set(keys))
