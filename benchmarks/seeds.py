"""Every comparison the course draws, on several seeds: one recorded experiment per comparison.

An experiment (`EXPERIMENTS`) is a few arms, each a set of `wgan-tutorial train` options, given
the same budget in generator steps (or, where the course's claim is about equal CPU time, steps
in the ratio of their measured cost; each experiment says which). Each (arm, seed) trains one
run with the package's own command,

    wgan-tutorial train --dataset mnist [the arm's options] --steps N --seed S --save-dir RUN \\
        --checkpoint-every ceil(N / 3) --no-progress

and scores its 3 checkpoints (N / 3, 2 N / 3 and N): 10,000 digits from the generator samples
are drawn from (latent seed 0) against the 10,000 digits of the MNIST test split with the
package's classifier features (`fid_vs_time.score`, i.e. `metrics.sample_report`; the same
number as `wgan-tutorial sample --model RUN --n 10000 --seed 0 --out RUN/samples.npy` then
`wgan-tutorial fid --fake RUN/samples.npy`), next to the critic's W estimate at each checkpoint
(for the question whether the estimate ranks checkpoints as FID does). FID is that of the final
generator; lower is better.

Run from the repository root with full MNIST in `WGAN_TUTORIAL_MNIST`:

    python benchmarks/seeds.py --list
    python benchmarks/seeds.py --experiment critic-rate --seeds 0,1,2 \\
        [--out wgan_tutorial/assets/seeds] [--runs RUNS_DIR]

It resumes: an (arm, seed) already in the record OUT/NAME.json is skipped, and each finished
(arm, seed) is written to the record at once (a temporary file, then renamed), so a long
experiment can run in the background across sessions. It lowers its own priority to nice 19.
The record holds the commands, the versions, the machine, the date, every seed's numbers per
arm and per arm the mean, range and Student-t 95 % interval of the final FID
(`augmentation.mean_and_interval`). An arm is complete with at least 3 seeds. `--table`
prints the records as markdown tables; their fields: wgan_tutorial/assets/seeds/README.md.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import fid_vs_time  # the sibling benchmark: its checkpoint scoring is reused
import numpy as np

MIN_SEEDS = 3
FID_SAMPLES = 10_000
W_WINDOW = 100  # generator steps averaged into the W estimate at a checkpoint
ONE_RATE = "--critic-lr-scale 1 --critic-lr-fade 0"
# the settings of notebook 05's sweep (assets/sweep): one rate, no batch norm, Adam 1e-3
SWEEP = (
    f"--width 16 --batch-size 32 --learning-rate 0.001 --ema 0.999 --generator-norm none {ONE_RATE}"
)


def _arm(options, steps, raw_of=None):
    """One arm: its `wgan-tutorial train` options (a string), its steps, and (`raw_of`) the
    arm whose runs it scores with the trained generator instead of its moving average."""
    return {"options": options.split(), "steps": steps, "raw_of": raw_of}


EXPERIMENTS = {
    "n-critic-defaults": {
        "question": "the course's defaults with 1 critic update per generator step against "
        "the paper's 5, step for step (notebook 03, section 3)",
        "budget": "3,000 generator steps per arm",
        "arms": {
            "n_critic 1": _arm("--loss gp --n-critic 1", 3000),
            "n_critic 5": _arm("--loss gp --n-critic 5", 3000),
        },
    },
    "critic-rate": {
        "question": "the critic's rate at twice the generator's, fading to it over 10,000 "
        "critic updates, against one rate (notebook 03, section 3)",
        "budget": "3,000 generator steps per arm",
        "arms": {
            "fading (2 to 1 over 10,000)": _arm(
                "--loss gp --critic-lr-scale 2 --critic-lr-fade 10000", 3000
            ),
            "one rate": _arm(f"--loss gp {ONE_RATE}", 3000),
        },
    },
    "generator-norm": {
        "question": "batch norm in the generator at Adam 1.5e-3 (today's default) against "
        "none at 1e-3 (the default before; notebook 03, section 3)",
        "budget": "3,000 generator steps per arm",
        "arms": {
            "batch, 1.5e-3": _arm("--loss gp --generator-norm batch --learning-rate 0.0015", 3000),
            "none, 1e-3": _arm("--loss gp --generator-norm none --learning-rate 0.001", 3000),
        },
    },
    "ema": {
        "question": "samples from the moving average of the generator's weights (decay "
        "0.999) against the trained generator itself (notebook 03, section 3)",
        "budget": "3,000 generator steps; both arms score the same runs (the average "
        "leaves training unchanged), so the seeds are paired",
        "arms": {
            "ema 0.999": _arm("--loss gp --ema 0.999", 3000),
            "ema 0 (trained generator)": _arm("", 3000, raw_of="ema 0.999"),
        },
    },
    "clip-vs-gp": {
        "question": "weight clipping (the paper's Algorithm 1) against the gradient penalty "
        "(the course's defaults), each at its own settings (notebook 03, section 4)",
        "budget": "1,500 generator steps per arm (notebook 03's live run); the seconds each "
        "took are recorded",
        "arms": {"clip": _arm("--loss clip", 1500), "gp": _arm("--loss gp", 1500)},
    },
    "losses": {
        "question": "the Wasserstein losses and the standard GAN on MNIST, each at its own "
        "defaults (notebook 03b, section 3), and whether the critic's estimate tracks FID",
        "budget": "2,000 generator steps per arm",
        "arms": {
            loss: _arm(f"--loss {loss}", 2000)
            for loss in ("gp", "clip", "lp", "gp-ln", "sn", "gan")
        },
    },
    "clip-lr": {
        "question": "weight clipping at the paper's RMSProp 5e-5 against 5e-4 "
        "(notebook 02, section 2)",
        "budget": "2,000 generator steps per arm (the 5e-5 arm is the paper's default: its "
        "runs are those of the losses record's clip arm, the same settings and seeds)",
        "arms": {
            "5e-5": _arm("--loss clip --learning-rate 5e-5", 2000),
            "5e-4": _arm("--loss clip --learning-rate 5e-4", 2000),
        },
    },
    "n-critic-sweep": {
        "question": "n_critic 1, 2 and 5 for WGAN-GP at lambda 10 and equal time, at the "
        "settings of notebook 05's sweep (notebook 05, section 7; notebook 03, section 3)",
        "budget": "equal time as steps: a step with n_critic 2 or 5 costs 1.7 or 3.7 times one "
        "with 1 (notebook 05, exercise 3), so 3,700 / 2,200 / 1,000 generator steps; the "
        "n_critic 1 and 5 arms are the lambda-n-critic record's lambda 10 runs (the same "
        "command and seeds)",
        "arms": {
            f"n_critic {n}": _arm(f"--loss gp {SWEEP} --gp-weight 10 --n-critic {n}", steps)
            for n, steps in ((1, 3700), (2, 2200), (5, 1000))
        },
    },
    "lambda-n-critic": {
        "question": "notebook 05's MNIST sweep: penalty weight lambda x n_critic, at the "
        "sweep's settings (width 16, batch 32, Adam 1e-3, one rate, no batch norm)",
        "budget": "equal time as steps: 3,700 generator steps with n_critic 1, 1,000 with 5 "
        "(a step with 5 costs 3.7 times one with 1, notebook 05, exercise 3)",
        "arms": {
            f"lambda {lam:g}, n_critic {n}": _arm(
                f"--loss gp {SWEEP} --gp-weight {lam:g} --n-critic {n}", steps
            )
            for n, steps in ((1, 3700), (5, 1000))
            for lam in (0, 0.1, 1, 10, 100)
        },
    },
}


def train_command(arm, seed, run_dir):
    """The `wgan-tutorial train` arguments of one (arm, seed), without the program name."""
    every = -(-arm["steps"] // 3)  # ceil: 3 checkpoints, all kept by the command
    return [
        *f"train --dataset mnist {' '.join(arm['options'])} --steps {arm['steps']}".split(),
        *f"--seed {seed} --save-dir {run_dir} --checkpoint-every {every} --no-progress".split(),
    ]


def public_command(arguments, run_dir):
    """`arguments` as the public command line, with the run folder written RUN."""
    return "wgan-tutorial " + " ".join("RUN" if a == str(run_dir) else a for a in arguments)


def finished(run_dir, steps):
    """Whether `run_dir` holds a run that reached `steps` generator steps."""
    from wgan_tutorial import training

    history = training.read_metrics(run_dir / training.METRICS_FILE)
    return len(history["step"]) > 0 and int(history["step"][-1]) >= steps


def train(arm, seed, run_dir):
    """Train one (arm, seed) into `run_dir` (a half-finished folder is started afresh)."""
    if finished(run_dir, arm["steps"]):
        return None
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    arguments = train_command(arm, seed, run_dir)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "wgan_tutorial", *arguments], check=False)
    if result.returncode != 0:
        raise SystemExit(f"wgan-tutorial train failed with exit status {result.returncode}")
    return time.perf_counter() - started


def checkpoint_scores(run_dir, raw):
    """FID and W estimate at each checkpoint of a run folder, as a list of dicts."""
    from wgan_tutorial import training

    history = training.read_metrics(run_dir / training.METRICS_FILE)
    steps, w = history["step"], history["w_estimate"]
    points = fid_vs_time.score(run_dir, FID_SAMPLES, report_at=[], raw=raw)
    rows = []
    for seconds, step, fid, floor in points:
        upto = (steps <= step) & (steps > step - W_WINDOW)
        at = np.flatnonzero(steps == step)
        rows.append(
            {
                "step": int(step),
                "seconds": round(float(seconds), 1),
                "fid": round(float(fid), 2),
                "floor": round(float(floor), 2),
                "w_estimate": round(float(w[at[-1]]), 5) if at.size else None,
                f"w_estimate_mean_{W_WINDOW}": round(float(np.mean(w[upto])), 5),
            }
        )
    return rows


def summary(values):
    """Mean, range and Student-t 95 % interval (None below 2 values) of per-seed numbers."""
    from wgan_tutorial.augmentation import mean_and_interval

    values = [float(v) for v in values]
    row = {
        "n": len(values),
        "mean": round(float(np.mean(values)), 3),
        "min": min(values),
        "max": max(values),
        "interval95": None,
    }
    if len(values) >= 2:
        _, low, high = mean_and_interval(values)
        row["interval95"] = [round(low, 3), round(high, 3)]
    return row


def reproduce_command(record):
    """The seeds.py calls, joined by " && ", that make every (arm, seed) `record` holds.

    The first call runs the seeds every arm holds; arms extended on their own with `--arms`
    (the 5-seed rule, for arms within 20 % of each other) get one more call per set of extra
    seeds, naming those arms, so the command says which arms hold which seeds.
    """
    base = f"python benchmarks/seeds.py --experiment {record['experiment']} --seeds "
    held = {arm: {int(seed) for seed in entry["seeds"]} for arm, entry in record["arms"].items()}
    common = set.intersection(*held.values()) if held else set()
    extra = {}  # the seeds beyond the common ones -> the arms holding them
    for arm, arm_seeds in held.items():
        if arm_seeds - common:
            extra.setdefault(tuple(sorted(arm_seeds - common)), []).append(arm)
    calls = [base + ",".join(map(str, sorted(common)))] if common else []
    calls += [
        base + ",".join(map(str, more)) + ' --arms "' + ";".join(arms) + '"'
        for more, arms in extra.items()
    ]
    return " && ".join(calls)


def write_atomically(path, record):
    """Write `record` as JSON to `path` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".tmp{os.getpid()}")
    temporary.write_text(json.dumps(record, indent=1) + "\n")
    os.replace(temporary, path)


def new_record(name, experiment, args):
    """The record's fixed part: what ran, with which versions, on which machine."""
    from wgan_tutorial import config

    versions = config.versions()
    return {
        "experiment": name,
        "question": experiment["question"],
        "budget": experiment["budget"],
        "benchmark_command": None,
        "commands": {
            "train": {
                arm_name: public_command(train_command(arm, "SEED", "RUN"), "RUN")
                for arm_name, arm in experiment["arms"].items()
                if not arm["raw_of"]
            },
            "score": "wgan-tutorial sample --model RUN --n 10000 --seed 0 --out RUN/samples.npy"
            " && wgan-tutorial fid --fake RUN/samples.npy (at each checkpoint: "
            "python benchmarks/fid_vs_time.py --run RUN [--raw])",
        },
        "fid": {
            "samples": FID_SAMPLES,
            "latent_seed": 0,
            "reference": "MNIST test split (10,000 digits)",
            "features": "the package's MNIST classifier",
            "of": "the generator samples are drawn from (its moving average where the run "
            "keeps one), unless the arm says raw",
        },
        "w_estimate": f"the critic's W estimate in metrics.csv at the checkpoint's step, and "
        f"its mean over the {W_WINDOW} steps up to it",
        "wgan_tutorial": versions["wgan_tutorial"],
        "commit": args.commit,
        "versions": versions,
        "machine": args.machine,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "updated": None,
        "min_seeds": MIN_SEEDS,
        "arms": {},
        "complete": False,
    }


def resolved_config(run_dir):
    """The run's resolved settings from its config.json, less seed and paths."""
    from wgan_tutorial import training

    config = dict(training.read_config(run_dir) or {})
    return {
        key: value
        for key, value in config.items()
        if key not in ("seed", "save_dir", "samples_dir", "data_path", "data_dir", "data_source")
    }


def run_experiment(name, seeds, arms, args):
    """Train and score every missing (seed, arm) of experiment `name` for the given arm names,
    updating its record."""
    experiment = EXPERIMENTS[name]
    out = Path(args.out) / f"{name}.json"
    record = json.loads(out.read_text()) if out.is_file() else new_record(name, experiment, args)
    for entry in record["arms"].values():  # records written before data_source was left out
        entry.get("config", {}).pop("data_source", None)
    for seed in seeds:
        for arm_name, arm in experiment["arms"].items():
            if arm_name not in arms:
                continue
            entry = record["arms"].setdefault(
                arm_name,
                {
                    "options": arm["options"],
                    "steps": arm["steps"],
                    "raw": bool(arm["raw_of"]),
                    "runs_of": arm["raw_of"] or arm_name,
                    "seeds": {},
                },
            )
            if str(seed) in entry["seeds"]:
                continue
            source = experiment["arms"][arm["raw_of"]] if arm["raw_of"] else arm
            run_dir = Path(args.runs) / name / slug(entry["runs_of"]) / f"seed-{seed}"
            wall = train(source, seed, run_dir)
            begun = time.perf_counter()
            points = checkpoint_scores(run_dir, raw=bool(arm["raw_of"]))
            final = points[-1]
            entry.setdefault("config", resolved_config(run_dir))
            entry["seeds"][str(seed)] = {
                "fid": final["fid"],
                "step": final["step"],
                "train_seconds": final["seconds"],
                "wall_seconds": None if wall is None else round(wall, 1),
                "score_seconds": round(time.perf_counter() - begun, 1),
                "checkpoints": points,
            }
            values = [
                run["fid"]
                for _, run in sorted(entry["seeds"].items(), key=lambda item: int(item[0]))
            ]
            entry["summary"] = summary(values)
            entry["complete"] = len(values) >= MIN_SEEDS
            record["complete"] = all(a.get("complete") for a in record["arms"].values()) and len(
                record["arms"]
            ) == len(experiment["arms"])
            record["benchmark_command"] = reproduce_command(record)
            record["updated"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            write_atomically(out, record)
            print(
                f"{name} | {arm_name} | seed {seed}: FID {final['fid']:.2f} at step "
                f"{final['step']} ({final['seconds']:.0f} s of training)",
                flush=True,
            )
    print_table(record)


def slug(text):
    """A folder name for an arm."""
    return "".join(c if c.isalnum() or c in ".-" else "_" for c in text)


def print_table(record):
    """One line per arm: seeds, mean, range and interval of the final FID."""
    print(f"\n{record['experiment']}: final FID ({record['budget']})")
    for arm_name, entry in record["arms"].items():
        s = entry.get("summary")
        if s is None:
            continue
        interval = (
            "-"
            if s["interval95"] is None
            else f"[{s['interval95'][0]:.1f}, {s['interval95'][1]:.1f}]"
        )
        print(
            f"  {arm_name:32s} n={s['n']}  mean {s['mean']:8.2f}  range "
            f"{s['min']:.1f}-{s['max']:.1f}  95 % {interval}"
        )


def markdown_tables(out):
    """Markdown: one table per record in the folder `out` (arm, seeds, mean, range, interval)."""
    from wgan_tutorial.course.figures.seeds import estimate_fid_correlation

    lines = []
    for path in sorted(Path(out).glob("*.json")):
        record = json.loads(path.read_text())
        state = "complete" if record["complete"] else "incomplete"
        about = f"{record['question']}; {record['budget']}; final FID of {FID_SAMPLES:,} samples."
        lines += [
            f"### {record['experiment']} ({state})",
            "",
            about,
            "",
            "| arm | seeds | FID per seed | mean | range | 95 % interval | training s per run "
            "| W estimate vs FID: Spearman (points) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for arm_name, entry in record["arms"].items():
            s, runs = entry["summary"], entry["seeds"]
            interval = (
                "-"
                if s["interval95"] is None
                else f"{s['interval95'][0]:.1f} to {s['interval95'][1]:.1f}"
            )
            fids = ", ".join(f"{runs[k]['fid']:.1f}" for k in sorted(runs, key=int))
            seconds = np.mean([run["train_seconds"] for run in runs.values()])
            rho, points = estimate_fid_correlation(entry, W_WINDOW)
            lines.append(
                f"| {arm_name} | {','.join(sorted(runs, key=int))} | {fids} | "
                f"{s['mean']:.1f} | {s['min']:.1f}-{s['max']:.1f} | {interval} | "
                f"{seconds:.0f} | {rho:+.2f} ({points}) |"
            )
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", choices=sorted(EXPERIMENTS), help="what to run")
    parser.add_argument("--list", action="store_true", help="list the experiments and exit")
    parser.add_argument(
        "--table",
        action="store_true",
        help="print the records in --out as markdown tables and exit",
    )
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds (default 0,1,2)")
    parser.add_argument(
        "--out",
        default="wgan_tutorial/assets/seeds",
        help="folder of the records, one NAME.json per experiment",
    )
    parser.add_argument("--runs", default="seed_runs", help="folder of the run folders")
    parser.add_argument(
        "--arms",
        default=None,
        help="arm names to extend, separated by ; (default: every arm); the rule of 5 seeds "
        "where two arms end within 20 %% of each other needs only those arms",
    )
    parser.add_argument("--commit", default="unknown", help="the package's git commit")
    parser.add_argument(
        "--machine",
        default="2-core CPU development machine",
        help="the machine, in words, for the record",
    )
    args = parser.parse_args()
    if args.table:
        print(markdown_tables(args.out))
        return
    if args.list or args.experiment is None:
        for name, experiment in EXPERIMENTS.items():
            print(
                f"{name}: {experiment['question']}\n    budget: {experiment['budget']}\n"
                f"    arms: {', '.join(experiment['arms'])}"
            )
        return
    known = list(EXPERIMENTS[args.experiment]["arms"])
    arms = args.arms.split(";") if args.arms else known
    unknown = set(arms) - set(known)
    if unknown:  # a misspelt arm would otherwise be skipped in silence and nothing would run
        parser.error(
            f"--arms: no arm {sorted(unknown)} in {args.experiment}; its arms: " + "; ".join(known)
        )
    os.nice(19 - os.nice(0))
    from wgan_tutorial import config

    config.quiet_tensorflow()
    run_experiment(args.experiment, [int(s) for s in args.seeds.split(",")], arms, args)


if __name__ == "__main__":
    main()
