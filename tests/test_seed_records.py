"""The shipped seed records (wgan_tutorial/assets/seeds/NAME.json, by benchmarks/seeds.py).

Each record must say how it was made (commands, version, commit, machine, date) and its
per-arm summary must follow from its per-seed numbers: the mean, the range and the Student-t
95 % interval are recomputed here with scipy.stats.t. An experiment whose arms all have at
least 3 seeds is checked strictly; one still running in the background is reported as
skipped. No training here: the records are only read.
"""

import importlib.util
import json
import re
import shlex
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
RECORDS = sorted((ROOT / "wgan_tutorial" / "assets" / "seeds").glob("*.json"))
MIN_SEEDS = 3


def load_benchmark():
    """benchmarks/seeds.py as a module (its sibling fid_vs_time importable)."""
    folder = str(ROOT / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(
        "seeds_benchmark", ROOT / "benchmarks" / "seeds.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def per_seed_fids(arm):
    """The final FID of each seed of an arm, in the order of the seeds."""
    return [run["fid"] for _, run in sorted(arm["seeds"].items(), key=lambda s: int(s[0]))]


@pytest.fixture(params=RECORDS or [None], ids=lambda p: p.stem if p else "none")
def record(request):
    if request.param is None:
        pytest.skip("no seed record shipped yet")
    return json.loads(request.param.read_text())


def test_record_says_how_it_was_made(record):
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+|(a|b|rc)\d+)?", record["wgan_tutorial"])
    assert record["versions"]["wgan_tutorial"] == record["wgan_tutorial"]
    for library in ("python", "tensorflow", "keras", "numpy"):
        assert record["versions"][library]
    assert re.fullmatch(r"[0-9a-f]{7,40}", record["commit"])
    assert record["machine"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"])
    assert record["benchmark_command"].startswith(
        f"python benchmarks/seeds.py --experiment {record['experiment']} --seeds "
    )
    assert record["fid"]["samples"] == 10_000
    assert "wgan-tutorial fid" in record["commands"]["score"]
    for name, arm in record["arms"].items():
        if arm["raw"]:  # scores the runs of another arm
            assert arm["runs_of"] in record["commands"]["train"]
            continue
        command = record["commands"]["train"][name]
        assert command.startswith("wgan-tutorial train --dataset mnist ")
        assert f"--steps {arm['steps']} --seed SEED --save-dir RUN" in command
        assert " ".join(arm["options"]) in command


def seeds_each_call_makes(command, arm_names):
    """arm -> the seeds that `command` (seeds.py calls joined by " && ") runs for it."""
    made = {arm: set() for arm in arm_names}
    for call in command.split(" && "):
        words = shlex.split(call)
        assert words[:4] == ["python", "benchmarks/seeds.py", "--experiment", words[3]], call
        options = dict(zip(words[4::2], words[5::2], strict=True))
        assert set(options) <= {"--seeds", "--arms"}, call
        named = options["--arms"].split(";") if "--arms" in options else arm_names
        for arm in named:
            made[arm] |= {int(seed) for seed in options["--seeds"].split(",")}
    return made


def test_the_benchmark_command_makes_exactly_the_seeds_each_arm_holds(record):
    experiment = load_benchmark().EXPERIMENTS[record["experiment"]]
    made = seeds_each_call_makes(record["benchmark_command"], list(experiment["arms"]))
    for arm in experiment["arms"]:
        held = {int(seed) for seed in record["arms"].get(arm, {}).get("seeds", {})}
        assert made[arm] == held, arm


@pytest.mark.parametrize(
    "held, calls",
    [
        ({"a": "012", "b": "012"}, ["--seeds 0,1,2"]),
        ({"a": "012", "b": "01234", "c": "01234"}, ["--seeds 0,1,2", '--seeds 3,4 --arms "b;c"']),
        (
            {"a": "01234", "b": "012", "c": "0123"},
            ["--seeds 0,1,2", '--seeds 3,4 --arms "a"', '--seeds 3 --arms "c"'],
        ),
        ({"a": "3", "b": "4"}, ['--seeds 3 --arms "a"', '--seeds 4 --arms "b"']),
    ],
)
def test_reproduce_command_names_the_arms_extended_on_their_own(held, calls):
    record = {
        "experiment": "losses",
        "arms": {arm: {"seeds": dict.fromkeys(seeds, {})} for arm, seeds in held.items()},
    }
    command = load_benchmark().reproduce_command(record)
    base = "python benchmarks/seeds.py --experiment losses "
    assert command == " && ".join(base + call for call in calls)
    made = seeds_each_call_makes(command, list(held))
    assert made == {arm: {int(seed) for seed in seeds} for arm, seeds in held.items()}


def test_record_matches_the_benchmark_table(record):
    experiment = load_benchmark().EXPERIMENTS[record["experiment"]]
    assert record["budget"] == experiment["budget"]
    assert set(record["arms"]) <= set(experiment["arms"])
    for name, arm in record["arms"].items():
        assert arm["options"] == experiment["arms"][name]["options"]
        assert arm["steps"] == experiment["arms"][name]["steps"]


def test_each_seed_is_its_final_checkpoint(record):
    for arm in record["arms"].values():
        for run in arm["seeds"].values():
            final = run["checkpoints"][-1]
            assert run["fid"] == final["fid"] and run["step"] == final["step"] == arm["steps"]
            steps = [point["step"] for point in run["checkpoints"]]
            assert steps == sorted(steps) and len(steps) == 3
            assert all(point["fid"] > point["floor"] > 0 for point in run["checkpoints"])


def test_summaries_follow_from_the_seeds(record):
    for name, arm in record["arms"].items():
        values = np.array(per_seed_fids(arm), dtype=np.float64)
        summary = arm["summary"]
        assert summary["n"] == len(values), name
        assert summary["mean"] == pytest.approx(values.mean(), abs=1e-3)
        assert (summary["min"], summary["max"]) == (values.min(), values.max())
        if len(values) < 2:
            assert summary["interval95"] is None
            continue
        half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
        assert summary["interval95"] == pytest.approx(
            [values.mean() - half, values.mean() + half], abs=2e-3
        )
        assert arm["complete"] == (len(values) >= MIN_SEEDS)


def test_complete_experiments_have_every_arm_on_enough_seeds(record):
    experiment = load_benchmark().EXPERIMENTS[record["experiment"]]
    counts = {
        name: len(record["arms"].get(name, {}).get("seeds", {})) for name in experiment["arms"]
    }
    if not record["complete"]:
        pytest.skip(f"{record['experiment']} still running: seeds per arm {counts}")
    assert all(count >= MIN_SEEDS for count in counts.values()), counts
    common = set.intersection(*(set(arm["seeds"]) for arm in record["arms"].values()))
    assert len(common) >= MIN_SEEDS, "the arms share at least 3 seeds"


def test_arms_within_20_percent_of_each_other_have_five_seeds(record):
    """Issue #33's rule: 3 seeds per arm, 5 where two arms' means are within 20 % of each other
    (the difference over the larger mean), since there the spread decides the reading."""
    if not record["complete"]:
        pytest.skip(f"{record['experiment']} still running")
    means = {name: arm["summary"]["mean"] for name, arm in record["arms"].items()}
    short = [
        (a, b, f"{abs(means[a] - means[b]) / max(means[a], means[b]):.1%}")
        for a in means
        for b in means
        if a < b
        and abs(means[a] - means[b]) < 0.2 * max(means[a], means[b])
        and min(len(record["arms"][a]["seeds"]), len(record["arms"][b]["seeds"])) < 5
    ]
    assert not short, f"arms within 20 % of each other on fewer than 5 seeds: {short}"


def test_a_misspelt_arm_is_refused_with_the_experiments_arms(monkeypatch, capsys):
    benchmark = load_benchmark()
    monkeypatch.setattr(
        sys, "argv", ["seeds.py", "--experiment", "losses", "--seeds", "3", "--arms", "gp;spectral"]
    )
    with pytest.raises(SystemExit) as stopped:
        benchmark.main()
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "no arm ['spectral'] in losses" in message and "gp; clip; lp" in message
