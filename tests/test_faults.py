"""Faults a careless or hostile user finds (issue #13): damaged run folders, signals, two
trainings in one folder, unwritable outputs, oversized requests, silent overwrites, noisy
warnings, NaN gradients, and internal bugs that must not hide behind "unreadable".

Each test reproduced its fault before the fix it guards.
"""

import os
import signal
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

from tests.cli_run import run  # noqa: E402
from wgan_tutorial import cli, defaults, metrics, pretrained, resources, training  # noqa: E402

TOY = dict(dataset="8gaussians", width=8, depth=1, batch_size=8, progress=False)
TINY_MNIST = ["--batch-size", "16", "--width", "4", "--noise-dim", "8", "--no-progress"]


def one_line_error(status, stderr, *fragments):
    assert status == 2, stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr, stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


def metric_steps(save_dir):
    return [int(step) for step in training.read_metrics(save_dir / training.METRICS_FILE)["step"]]


# --- a damaged checkpoint index never restarts a run ------------------------------------------


@pytest.fixture
def run_to_20(tmp_path):
    save_dir = tmp_path / "run"
    training.train(
        loss="gp", steps=20, save_dir=save_dir, checkpoint_every=5, keep_checkpoints=3, **TOY
    )
    return save_dir


@pytest.mark.parametrize(
    "damage",
    [
        lambda index: index.write_text(index.read_text()[:25]),  # cut mid-string: TF ignores it
        lambda index: index.write_text(""),  # empty: TF raises ValueError
        lambda index: index.unlink(),  # gone
    ],
    ids=["truncated", "empty", "deleted"],
)
def test_damaged_checkpoint_index_resumes_from_the_newest_checkpoint(run_to_20, damage, caplog):
    index = run_to_20 / training.CHECKPOINT_DIR / "checkpoint"
    damage(index)
    wgan, history = training.train(steps=25, save_dir=run_to_20, progress=False)
    assert wgan.step == 25
    assert metric_steps(run_to_20) == list(range(1, 26))  # not restarted at step 1
    assert "rebuilt it from the checkpoints of steps 10, 15, 20" in caplog.text
    # the rebuilt index keeps deleting old checkpoints (keep 3)
    kept = sorted(int(p.name[5:-6]) for p in index.parent.glob("ckpt-*.index"))
    assert kept == [15, 20, 25]


def test_unreadable_newest_checkpoint_falls_back_to_the_one_before(run_to_20, caplog):
    for path in (run_to_20 / training.CHECKPOINT_DIR).glob("ckpt-20.*"):
        path.write_bytes(b"garbage")
    wgan, _ = training.train(steps=22, save_dir=run_to_20, progress=False)
    assert wgan.step == 22
    assert "resumed from ckpt-15" in caplog.text
    # rows 16-20 of the lost checkpoint were dropped and redone once
    assert metric_steps(run_to_20) == list(range(1, 23))


def test_an_internal_error_while_restoring_is_not_reported_as_unreadable(run_to_20, monkeypatch):
    def broken_restore(self, path, options=None):
        raise RuntimeError("a bug, not a damaged file")

    monkeypatch.setattr(tf.train.Checkpoint, "restore", broken_restore)
    with pytest.raises(RuntimeError, match="a bug"):
        training.train(steps=25, save_dir=run_to_20, progress=False)


def test_an_internal_error_while_loading_a_generator_file_keeps_its_traceback(
    run_to_20, monkeypatch
):
    def broken_load(*args, **kwargs):
        raise RuntimeError("a bug in the loader")

    monkeypatch.setattr(keras.models, "load_model", broken_load)
    with pytest.raises(RuntimeError, match="a bug in the loader"):
        pretrained.load_generator(run_to_20 / training.GENERATOR_FILE)


@pytest.mark.parametrize("content", [b"", b"garbage, not a zip archive", "truncate"])
def test_damaged_generator_file_is_one_clear_error(run_to_20, tmp_path, content):
    source = (run_to_20 / training.GENERATOR_FILE).read_bytes()
    damaged = tmp_path / "damaged.keras"
    damaged.write_bytes(source[: len(source) // 2] if content == "truncate" else content)
    with pytest.raises(ValueError, match=f"model file {damaged} is unreadable"):
        pretrained.load_generator(damaged)


# --- signals: save, then exit ------------------------------------------------------------------


class SendSignal(keras.callbacks.Callback):
    """Send `signum` to this process at the end of generator step `at` (as `kill` would)."""

    def __init__(self, signum, at):
        super().__init__()
        self.signum, self.at = signum, at

    def on_train_batch_end(self, batch, logs=None):
        if self.model.step == self.at:
            os.kill(os.getpid(), self.signum)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_saves_a_checkpoint_at_the_current_step_then_stops(tmp_path, signum):
    save_dir = tmp_path / "run"
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with pytest.raises(
        training.TrainingInterrupted,
        match=f"stopped by {signal.Signals(signum).name} at step 7; checkpoint saved",
    ):
        training.train(
            loss="gp",
            steps=200,
            save_dir=save_dir,
            checkpoint_every=100,
            callbacks=[SendSignal(signum, at=7)],
            **TOY,
        )
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == handlers
    assert (save_dir / training.CHECKPOINT_DIR / "ckpt-7.index").is_file()
    assert (save_dir / training.GENERATOR_FILE).is_file()
    assert metric_steps(save_dir) == list(range(1, 8))
    wgan, _ = training.train(steps=9, save_dir=save_dir, progress=False)
    assert wgan.step == 9 and metric_steps(save_dir) == list(range(1, 10))


def test_sigterm_to_the_command_saves_and_exits_143_with_one_line(tmp_path):
    save_dir = tmp_path / "run"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wgan_tutorial",
            "train",
            "--dataset",
            "8gaussians",
            "--width",
            "8",
            "--batch-size",
            "8",
            "--steps",
            "1000000",
            "--checkpoint-every",
            "100000",
            "--save-dir",
            str(save_dir),
            "--no-progress",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    metrics_file = save_dir / training.METRICS_FILE
    deadline = time.monotonic() + 120
    while (
        time.monotonic() < deadline
        and len(metric_steps(save_dir) if metrics_file.is_file() else []) < 3
    ):
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("wgan_tutorial:")]
    assert len(lines) == 1 and "stopped by SIGTERM at step" in lines[0], stderr
    last = metric_steps(save_dir)[-1]
    assert (save_dir / training.CHECKPOINT_DIR / f"ckpt-{last}.index").is_file()


# --- one training per run folder ----------------------------------------------------------------


def test_a_second_training_in_a_locked_run_folder_is_refused(tmp_path, capsys):
    save_dir = tmp_path / "run"
    save_dir.mkdir()
    with resources.RunLock(save_dir):  # another training holds the folder
        with pytest.raises(
            ValueError,
            match=f"save_dir {save_dir} is in use by another training \\(process {os.getpid()}\\)",
        ):
            training.train(loss="gp", steps=2, save_dir=save_dir, **TOY)
        status, _, stderr = run(
            [
                "train",
                "--dataset",
                "8gaussians",
                "--steps",
                "2",
                "--save-dir",
                str(save_dir),
                "--no-progress",
            ],
            capsys,
        )
        one_line_error(status, stderr, "is in use by another training")
    wgan, _ = training.train(loss="gp", steps=2, save_dir=save_dir, **TOY)  # released
    assert wgan.step == 2 and not (save_dir / resources.RunLock.FILE).exists()


def test_the_lock_of_a_killed_training_does_not_block_the_next(tmp_path):
    save_dir = tmp_path / "run"
    save_dir.mkdir()
    (save_dir / resources.RunLock.FILE).write_text("12345")  # left by `kill -9`
    wgan, _ = training.train(loss="gp", steps=2, save_dir=save_dir, **TOY)
    assert wgan.step == 2


# --- unwritable places: one line naming the path ---------------------------------------------


@pytest.fixture(scope="module")
def mnist_run(tmp_path_factory):
    save_dir = tmp_path_factory.mktemp("faults") / "mnist"
    assert (
        cli.main(
            ["train", "--loss", "clip", "--steps", "2", "--save-dir", str(save_dir)] + TINY_MNIST
        )
        == 0
    )
    return save_dir


def test_outputs_under_a_file_are_one_line_errors(mnist_run, tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    status, _, stderr = run(
        ["sample", "--model", str(mnist_run), "--out", str(a_file / "x.npy")], capsys
    )
    one_line_error(status, stderr, f"--out {a_file}: cannot write there (")
    status, _, stderr = run(
        ["sample", "--model", str(mnist_run), "--out", f"{a_file}/sub/"], capsys
    )
    one_line_error(status, stderr, "--out", "cannot write there")
    status, _, stderr = run(
        [
            "train",
            "--dataset",
            "8gaussians",
            "--steps",
            "1",
            "--save-dir",
            str(a_file / "run"),
            "--no-progress",
        ],
        capsys,
    )
    one_line_error(status, stderr, f"save_dir {a_file / 'run'}: cannot write there")
    status, _, stderr = run(
        [
            "train",
            "--dataset",
            "8gaussians",
            "--steps",
            "1",
            "--samples-dir",
            str(a_file / "s"),
            "--no-progress",
        ],
        capsys,
    )
    one_line_error(status, stderr, f"samples_dir {a_file / 's'}: cannot write there")


def _read_only(monkeypatch):
    """Make every write probe fail as on a read-only folder (root ignores chmod)."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(resources.tempfile, "TemporaryFile", refuse)


def test_read_only_folders_are_one_line_errors(mnist_run, tmp_path, capsys, monkeypatch):
    _read_only(monkeypatch)
    status, _, stderr = run(
        ["sample", "--model", str(mnist_run), "--out", str(tmp_path / "x.npy")], capsys
    )
    one_line_error(status, stderr, f"--out {tmp_path}: cannot write there (Permission denied)")
    status, _, stderr = run(
        ["train", "--steps", "4", "--save-dir", str(mnist_run)] + TINY_MNIST, capsys
    )  # resuming a read-only run
    one_line_error(status, stderr, f"save_dir {mnist_run}: cannot write there")


def test_a_disk_that_fills_while_writing_is_a_one_line_error(
    mnist_run, tmp_path, capsys, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", full)  # the checks before sampling pass; the write fails
    out = tmp_path / "x.npy"
    status, _, stderr = run(
        ["sample", "--model", str(mnist_run), "--n", "2", "--out", str(out)], capsys
    )
    one_line_error(status, stderr, f"--out {out}: writing failed (No space left on device)")
    monkeypatch.setattr("wgan_tutorial.sonify.sonify", full)
    wav = tmp_path / "x.wav"
    status, _, stderr = run(
        [
            "sample",
            "--model",
            str(mnist_run),
            "--n",
            "2",
            "--out",
            f"{tmp_path}/pngs/",
            "--sonify",
            str(wav),
        ],
        capsys,
    )
    one_line_error(status, stderr, f"--sonify {wav}: writing failed (No space left on device)")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root writes into read-only folders; the monkeypatched test covers it",
)
def test_a_chmod_read_only_folder_is_refused_before_any_work(tmp_path):
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ValueError, match="cannot write there"):
            resources.writable_folder(folder, "--out")
    finally:
        folder.chmod(0o700)


def test_requests_larger_than_memory_are_refused_before_allocating(mnist_run, tmp_path, capsys):
    status, _, stderr = run(
        ["sample", "--model", str(mnist_run), "--n", "100000000", "--out", str(tmp_path / "x.npy")],
        capsys,
    )
    # 1e8 x (784 pixels x 4 bytes + 8 latent values x (4 + 8 bytes of numpy's float64 draw))
    # = 323.2e9 bytes = 301.0 GiB
    one_line_error(
        status, stderr, "n = 100000000 samples of shape (28, 28, 1)", "needs 301.0 GiB of memory"
    )
    status, _, stderr = run(
        ["train", "--noise-dim", "100000000", "--steps", "1", "--no-progress"], capsys
    )
    # fast-mode width 8: a first layer of 1e8 x (7 x 7 x 2 x 8) = 7.84e10 weights, 292.1 GiB
    one_line_error(status, stderr, "noise_dim = 100000000", "needs 292.1 GiB")


def test_check_allocation_compares_with_the_available_memory(monkeypatch):
    monkeypatch.setattr(resources, "available_memory", lambda: 2 * resources.GIB)
    resources.check_allocation(2 * resources.GIB, "exactly what is free")
    with pytest.raises(ValueError, match=r"x needs 3.0 GiB of memory; about 2.0 GiB"):
        resources.check_allocation(3 * resources.GIB, "x")
    monkeypatch.setattr(resources, "available_memory", lambda: None)
    resources.check_allocation(10**15, "unknown memory is not checked")


def test_available_memory_is_at_most_what_proc_meminfo_reports():
    free = resources.available_memory()
    assert free is not None and free > 0
    with open("/proc/meminfo") as handle:
        total = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("MemTotal:"))
    assert free <= total


# --- no silent overwrite ----------------------------------------------------------------------


def test_sample_refuses_to_replace_a_file_unless_told(mnist_run, tmp_path, capsys):
    out = tmp_path / "digits.npy"
    np.save(out, np.arange(3))
    status, _, stderr = run(
        ["sample", "--model", str(mnist_run), "--n", "4", "--out", str(out)], capsys
    )
    one_line_error(status, stderr, f"--out {out}: the file exists", "--overwrite")
    np.testing.assert_array_equal(np.load(out), np.arange(3))  # untouched
    status, _, _ = run(
        ["sample", "--model", str(mnist_run), "--n", "4", "--out", str(out), "--overwrite"], capsys
    )
    assert status == 0 and np.load(out).shape == (4, 28, 28)


def test_sample_refuses_a_folder_that_holds_samples_unless_told(mnist_run, tmp_path, capsys):
    out = tmp_path / "pngs"
    assert (
        run(["sample", "--model", str(mnist_run), "--n", "3", "--out", f"{out}/"], capsys)[0] == 0
    )
    status, _, stderr = run(
        ["sample", "--model", str(mnist_run), "--n", "3", "--out", f"{out}/"], capsys
    )
    one_line_error(status, stderr, "already holds 4 sample file(s)")
    assert (
        run(
            ["sample", "--model", str(mnist_run), "--n", "3", "--out", f"{out}/", "--overwrite"],
            capsys,
        )[0]
        == 0
    )


def test_train_classifier_and_sweep_refuse_to_replace_results(tmp_path, capsys):
    from wgan_tutorial import widgets

    (tmp_path / metrics.WEIGHTS_FILE).write_bytes(b"weights of an earlier run")
    status, _, stderr = run(
        ["train-classifier", "--epochs", "1", "--limit", "64", "--out", str(tmp_path)], capsys
    )
    one_line_error(status, stderr, "the file exists", "--overwrite")
    (tmp_path / widgets.SWEEP_FILE).write_text("{}")
    with pytest.raises(ValueError, match="the file exists"):
        widgets.run_sweep(
            tmp_path,
            gp_weights=[10.0],
            n_critics=[1],
            steps=1,
            width=2,
            fid_points=0,
            progress=False,
            log=lambda line: None,
        )


# --- quiet, complete checks -----------------------------------------------------------------


def test_frechet_distance_of_degenerate_sets_is_exact_and_silent():
    mu1, mu2 = np.zeros(4), np.ones(4)
    zero = np.zeros((4, 4))
    a, b = np.diag([1.0, 0, 0, 0]), np.diag([0, 1.0, 0, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy's LinAlgWarning would fail the test
        # closed form: ||mu1 - mu2||^2 + tr(a) + tr(b) - 2 tr((a b)^(1/2)), with a b = 0
        assert metrics.frechet_distance(mu1, zero, mu2, zero) == pytest.approx(4.0)
        assert metrics.frechet_distance(mu1, a, mu2, b) == pytest.approx(6.0)


def test_fid_command_on_a_constant_set_prints_no_warning(tmp_path):
    fake = tmp_path / "constant.npy"
    np.save(fake, np.zeros((50, 28, 28), np.uint8))
    # a process of its own: pytest would capture the warnings that a user sees on stderr
    result = subprocess.run(
        [sys.executable, "-m", "wgan_tutorial", "fid", "--fake", str(fake)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and "FID:" in result.stdout, result.stderr
    assert "Warning" not in result.stderr, result.stderr


def test_an_infinite_gradient_norm_stops_training_although_losses_are_finite():
    wgan = training.WGAN(
        keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)]),
        keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]),
    )
    guard = training.StopOnNonFinite()
    guard.set_model(wgan)
    guard.on_train_begin()
    guard.on_train_batch_end(
        0,
        {
            "critic_loss": 1.0,
            "generator_loss": -0.5,
            "w_estimate": 0.3,
            "critic_grad_norm": float("inf"),
        },
    )
    assert wgan.stop_training
    assert "critic_grad_norm = inf" in str(wgan.divergence)


def test_training_stops_on_an_overflowing_gradient_norm_while_losses_are_finite():
    # critic f(x) = w.x with w = (1e20, 1e20): scores ~ 1e20 are finite float32, but the
    # generator's gradient is ~ w, whose squared norm 2e40 overflows float32 (max 3.4e38),
    # so generator_grad_norm = inf at step 1 while every loss is finite.
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    critic.set_weights([np.full((2, 1), 1e20, np.float32)])
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    wgan = training.WGAN(generator, critic, loss="clip", n_critic=1, clip_value=1e30)
    wgan.compile(keras.optimizers.SGD(0.0), keras.optimizers.SGD(0.0))
    real = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    history = wgan.fit(
        real,
        batch_size=8,
        epochs=1,
        verbose=0,
        shuffle=False,
        callbacks=[training.StopOnNonFinite()],
    )
    assert np.isfinite(history.history["generator_loss"]).all()
    assert wgan.step == 1  # stopped after the first step
    assert "generator_grad_norm = inf" in str(wgan.divergence)


# --- one source for each default ------------------------------------------------------------


def test_defaults_agree_between_the_optimizers_the_config_and_the_help(capsys):
    for loss in ("clip", "gp"):
        critic_optimizer, _ = training.default_optimizers(loss)
        assert float(critic_optimizer.learning_rate) == pytest.approx(
            defaults.PAPER_LEARNING_RATES[loss]
        )
        toy = training.default_config(loss, "8gaussians")
        assert toy["learning_rate"] == defaults.PAPER_LEARNING_RATES[loss]
    mnist = training.default_config("gp", "mnist")
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    # the help lists each tuned preset with the value it sets (defaults.PRESETS)
    assert f"gp on MNIST without labels, CPU: {mnist['learning_rate']:g}" in help_text
    assert f"penalty on images, CPU: {mnist['batch_size']}" in help_text
    # n_critic = 1 was measured on MNIST only: every other data set keeps the paper's 5
    assert mnist["n_critic"] == defaults.GP_MNIST_N_CRITIC == 1
    assert f"penalty on MNIST, CPU: {mnist['n_critic']}" in help_text
    for dataset in ("fashion-mnist", "cifar-10", "8gaussians"):
        assert training.default_config("gp", dataset)["n_critic"] == defaults.N_CRITIC == 5
