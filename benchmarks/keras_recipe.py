"""The course's WGAN-GP defaults against the popular Keras example's recipe, same wall time.

Both runs use the package's own builders and trainer (`wgan-tutorial train --loss gp`, via
`fid_vs_time.py`'s `train` and `score`); only the settings differ:

- course: `training.default_config("gp", "mnist")` - width 16, batch 32, n_critic 1,
  Adam 1.5e-3 for the generator and for the critic 3e-3 falling to 1.5e-3 over 10,000 steps,
  beta = (0.5, 0.9), batch norm in the generator, samples from the moving average (ema 0.999);
- keras example (keras-io `examples/generative/wgan_gp.py`): batch 512, 3 critic updates per
  generator update, Adam 2e-4 for both, beta = (0.5, 0.9), no average; its widths as far as the
  package's builders have them - critic convolutions 64, 128, 256 (the example adds a fourth
  of 512 on a padded 32 x 32 input) and a generator of 128 then 64 channels with the course's
  batch norm (the example: 256, 128, 64 with batch norm and up-sampling). Same lambda (10),
  latent size (128) and seed.

Run from the repository root, alone on the machine, with full MNIST in WGAN_TUTORIAL_MNIST:

    python benchmarks/keras_recipe.py --out RUNS_DIR [--max-seconds 300]

Prints each run's checkpoints (`fid_vs_time.score`: FID of 10,000 samples against the test
split, as a multiple of the real-vs-real floor), then one comparison: generator steps per
second, real images per second through the critic, the FID each reached at the end, and how
many times sooner the course's run reached the recipe's final FID (linear interpolation of
log FID between the course's checkpoints).
"""

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fid_vs_time  # noqa: E402

RUNS = {
    "course": dict(checkpoint_every=150),
    "keras example": dict(
        width=64,
        batch_size=512,
        n_critic=3,
        learning_rate=2e-4,
        critic_lr_scale=1.0,
        beta_1=0.5,
        ema=0.0,
        checkpoint_every=3,
    ),
}


def seconds_to_reach(points, target):
    """The first time a run's FID curve (seconds, FID) falls to `target`, interpolating log FID
    linearly between checkpoints; None if it never does."""
    previous = None
    for seconds, fid in points:
        if fid <= target:
            if previous is None:
                return seconds
            (s0, f0), (s1, f1) = previous, (seconds, fid)
            fraction = (math.log(f0) - math.log(target)) / (math.log(f0) - math.log(f1))
            return s0 + fraction * (s1 - s0)
        previous = (seconds, fid)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the two run folders")
    parser.add_argument(
        "--max-seconds", type=float, default=300.0, help="training seconds per run (default 300)"
    )
    parser.add_argument("--n", type=int, default=10_000, help="samples per FID (default 10,000)")
    args = parser.parse_args()
    from wgan_tutorial import training

    results = {}
    for name, options in RUNS.items():
        options = dict(options, loss="gp")
        checkpoint_every = options.pop("checkpoint_every")
        save_dir = args.out / name.replace(" ", "_")
        print(f"== {name}", flush=True)
        command = fid_vs_time.train(save_dir, args.max_seconds, checkpoint_every, options)
        print("$ " + " ".join(command), flush=True)
        points = fid_vs_time.score(save_dir, args.n, [args.max_seconds])
        results[name] = dict(points=points, config=training.read_config(save_dir))
    print("\nsame wall time, each run alone on the machine:")
    for name, result in results.items():
        seconds, step, value, floor = result["points"][-1]
        config = result["config"]
        images = step * config["n_critic"] * config["batch_size"]
        print(
            f"{name:14s}: {step:6d} generator steps in {seconds:5.0f} s = {step / seconds:6.2f} "
            f"steps/s, {images / seconds:7.0f} real images/s, FID {value:7.1f} "
            f"= {value / floor:6.1f} x floor"
        )
    recipe_fid = results["keras example"]["points"][-1][2]
    recipe_seconds = results["keras example"]["points"][-1][0]
    course_curve = [(seconds, value) for seconds, _, value, _ in results["course"]["points"]]
    reached = seconds_to_reach(course_curve, recipe_fid)
    if reached is None:
        print(f"the course's run never reached the recipe's final FID {recipe_fid:.1f}")
    elif reached == course_curve[0][0]:
        print(
            f"the course's defaults were below the recipe's final FID ({recipe_fid:.1f} after "
            f"{recipe_seconds:.0f} s) at their first checkpoint, {reached:.0f} s: at least "
            f"{recipe_seconds / reached:.0f} times sooner"
        )
    else:
        print(
            f"the course's defaults reached the recipe's final FID ({recipe_fid:.1f} after "
            f"{recipe_seconds:.0f} s) after {reached:.0f} s: {recipe_seconds / reached:.0f} "
            f"times sooner"
        )


if __name__ == "__main__":
    main()
