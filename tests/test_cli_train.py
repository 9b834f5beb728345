"""The `wgan-tutorial train` and `wgan-tutorial sample` commands, run in-process."""

import csv
import json
import shutil

import numpy as np
import pytest

from tests.cli_run import run
from wgan_tutorial import cli, pretrained

TINY = ["--batch-size", "16", "--width", "4", "--noise-dim", "8", "--no-progress"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A clip run trained to step 20 and continued to step 40 with the same save_dir."""
    root = tmp_path_factory.mktemp("cli")
    save_dir, samples_dir = root / "D", root / "S"
    common = [
        "train",
        "--loss",
        "clip",
        "--dataset",
        "mnist",
        "--save-dir",
        str(save_dir),
        "--samples-dir",
        str(samples_dir),
        "--checkpoint-every",
        "10",
        "--sample-every",
        "10",
    ] + TINY
    first = cli.main(common + ["--steps", "20"])
    rows_after_first = _steps(save_dir)
    second = cli.main(common + ["--steps", "40"])
    return dict(
        save_dir=save_dir,
        samples_dir=samples_dir,
        status=(first, second),
        rows_after_first=rows_after_first,
    )


def _steps(save_dir):
    with open(save_dir / "metrics.csv", newline="") as handle:
        return [int(row["step"]) for row in csv.DictReader(handle)]


def test_train_twice_with_the_same_save_dir_continues_to_step_40_with_40_rows(trained):
    assert trained["status"] == (0, 0)
    assert trained["rows_after_first"] == list(range(1, 21))
    assert _steps(trained["save_dir"]) == list(range(1, 41))
    checkpoints = sorted(p.name for p in (trained["save_dir"] / "checkpoints").glob("*.index"))
    assert checkpoints == ["ckpt-20.index", "ckpt-30.index", "ckpt-40.index"]  # latest 3 kept
    assert (trained["samples_dir"] / "step_000040.png").is_file()


def test_train_underscore_aliases_reach_the_same_options():
    args = cli.build_parser().parse_args(
        [
            "train",
            "--learning_rate",
            "0.001",
            "--n_clip",
            "0.05",
            "--n_update_dis",
            "3",
            "--noise_dim",
            "16",
            "--batch_size",
            "32",
            "--n_epoch",
            "2",
            "--save_dir",
            "a",
            "--samples_dir",
            "b",
        ]
    )
    assert (
        args.learning_rate,
        args.clip_value,
        args.n_critic,
        args.noise_dim,
        args.batch_size,
        args.epochs,
        args.save_dir,
        args.samples_dir,
    ) == (0.001, 0.05, 3, 16, 32, 2.0, "a", "b")


def test_sample_writes_uint8_images_as_npy(trained, tmp_path, capsys):
    out = tmp_path / "digits.npy"
    status, stdout, _ = run(
        [
            "sample",
            "--model",
            str(trained["save_dir"]),
            "--n",
            "37",
            "--seed",
            "1",
            "--batch-size",
            "10",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert status == 0 and "uint8 (37, 28, 28)" in stdout
    images = np.load(out, allow_pickle=False)
    assert images.dtype == np.uint8 and images.shape == (37, 28, 28)
    # the same seed from the .keras file gives the same digits
    again = tmp_path / "again.npy"
    assert (
        cli.main(
            [
                "sample",
                "--model",
                str(trained["save_dir"] / "generator.keras"),
                "--n",
                "37",
                "--seed",
                "1",
                "--out",
                str(again),
            ]
        )
        == 0
    )
    np.testing.assert_array_equal(np.load(again), images)


def test_sample_to_a_folder_writes_one_png_per_image_and_a_grid(trained, tmp_path, capsys):
    out = tmp_path / "pngs"
    status, _, _ = run(
        ["sample", "--model", str(trained["save_dir"]), "--n", "5", "--out", f"{out}/"], capsys
    )
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == ["grid.png"] + [
        f"sample_{i}.png" for i in range(5)
    ]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--n-critic", "0"], "--n-critic/--n_update_dis: must be an integer >= 1, got 0"),
        (["train", "--n_clip", "0"], "--n-clip/--n_clip: must be a finite number > 0.0, got 0"),
        (["train", "--learning-rate", "-0.1"], "--learning-rate/--learning_rate: must be a finite"),
        (["train", "--critic-lr-scale", "0"], "--critic-lr-scale: must be a finite number > 0"),
        (["train", "--critic-lr-fade", "-1"], "--critic-lr-fade: must be an integer >= 0"),
        (["train", "--dataset", "imagenet"], "argument --dataset: invalid choice: 'imagenet'"),
        (["train", "--image-size", "48"], "argument --image-size: invalid choice: 48"),
        (["train", "--channels", "2"], "argument --channels: invalid choice: 2"),
        (["train", "--max-images", "0"], "--max-images: must be an integer >= 1, got 0"),
        (["train", "--dataset", "folder", "--steps", "1"], "dataset 'folder' needs --data-dir"),
        (
            ["sample", "--model", "x", "--out", "x.npy", "--sonify", "a.mp3"],
            "--sonify must name a .wav file",
        ),
        (
            ["fid", "--fake", "x.npy", "--features", "clip"],
            "argument --features: invalid choice: 'clip'",
        ),
        (["train", "--loss", "hinge"], "argument --loss: invalid choice: 'hinge'"),
        (["train", "--loss", "wgan-sn"], "'gp-ln', 'sn', 'gan', 'gan-minimax')"),
        (["train", "--batch-size", "0"], "--batch-size/--batch_size: must be an integer >= 1"),
        (["train", "--steps", "5", "--epochs", "1"], "not allowed with argument"),
        (["train", "--beta-1", "1.5", "--steps", "1"], "beta_1 must be a number in [0, 1)"),
        (["train", "--ema", "1", "--steps", "1"], "ema must be a number in [0, 1)"),
        (["train", "--ema", "-0.5"], "--ema: must be a finite number >= 0.0, got -0.5"),
        (["sample", "--model", "/no/such/run", "--out", "x.npy"], "model '/no/such/run' not found"),
        (
            ["sample", "--model", "pretrained:no_such_model", "--out", "x.npy"],
            "no shipped model named 'no_such_model'",
        ),
    ],
)
def test_bad_arguments_exit_2_with_one_line_naming_the_option(argv, message, capsys):
    status, _, stderr = run(argv, capsys)
    assert status == 2
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr


def test_unreadable_checkpoint_exits_2_with_one_line(trained, tmp_path, capsys):
    broken = tmp_path / "broken"
    shutil.copytree(trained["save_dir"], broken)
    for path in (broken / "checkpoints").glob("ckpt-*"):
        path.write_bytes(b"garbage")
    status, _, stderr = run(
        ["train", "--save-dir", str(broken), "--steps", "50", "--no-progress"], capsys
    )
    assert status == 2
    assert f"checkpoint in {broken} is unreadable: " in stderr
    assert len(stderr.strip().splitlines()) == 1
    status, _, stderr = run(
        ["sample", "--model", str(broken), "--out", str(tmp_path / "x.npy")], capsys
    )
    assert status == 2 and "unreadable" in stderr


def test_sample_rejects_an_output_that_is_neither_npy_nor_folder(trained, capsys):
    status, _, stderr = run(
        ["sample", "--model", str(trained["save_dir"]), "--out", "x.txt"], capsys
    )
    assert status == 2 and "--out must be a .npy file or a folder" in stderr


@pytest.mark.parametrize("loss", ["gan"])  # sn trains and resumes in test_training (suite time)
def test_train_runs_the_baseline_losses_from_the_command_line(loss, tmp_path, capsys):
    save_dir = tmp_path / loss
    status, stdout, stderr = run(
        ["train", "--loss", loss, "--dataset", "mnist", "--steps", "3", "--save-dir", str(save_dir)]
        + TINY,
        capsys,
    )
    assert status == 0, stderr
    assert "step 3: W estimate" in stdout
    assert _steps(save_dir) == [1, 2, 3]
    config = json.loads((save_dir / "config.json").read_text())
    assert (config["loss"], config["n_critic"]) == (loss, 1 if loss == "gan" else 5)


def test_train_records_the_critics_learning_rate_scale(tmp_path, capsys):
    save_dir = tmp_path / "ttur"
    status, _, stderr = run(
        [
            "train",
            "--dataset",
            "mnist",
            "--steps",
            "2",
            "--learning-rate",
            "4e-4",
            "--critic-lr-scale",
            "3",
            "--critic-lr-fade",
            "0",
            "--save-dir",
            str(save_dir),
        ]
        + TINY,
        capsys,
    )
    assert status == 0, stderr
    config = json.loads((save_dir / "config.json").read_text())
    assert (config["critic_lr_scale"], config["critic_lr_fade"]) == (3.0, 0)
    wgan = pretrained.load_wgan(save_dir)
    assert float(wgan.critic_optimizer.learning_rate) == pytest.approx(1.2e-3)
    assert float(wgan.generator_optimizer.learning_rate) == pytest.approx(4e-4)
