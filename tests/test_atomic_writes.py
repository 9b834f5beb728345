"""Every write is atomic and every partial failure is survivable (issue #31): a disk that
fills up during any kind of write the package makes leaves the old file intact, no partial
file behind, and one line naming the path and the cause; a training stopped that way
resumes from its last checkpoint.

The full disk is simulated at the two places every write goes through:
`resources.sync_file` (a whole file, before it replaces the old one: cut to `after` bytes,
then ENOSPC) and `resources.write_all` (the package's own bytes: `after` bytes written,
then ENOSPC). Each test reproduced its fault before the fix it guards.
"""

import errno
import os

import numpy as np
import pytest

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()

from wgan_tutorial import metrics, resources, sonify, training  # noqa: E402

TOY = dict(dataset="8gaussians", width=8, depth=1, batch_size=8, progress=False)
NO_SPACE = "No space left on device"


def enospc(path=None):
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), None if path is None else str(path))


@pytest.fixture
def full_disk(monkeypatch):
    """fill(after=16, match="", writes=0): writes to files whose name contains `match` fail
    with ENOSPC after `after` bytes, once `writes` such writes have succeeded."""

    def fill(after=16, match="", writes=0):
        sync_file, write_all = resources.sync_file, resources.write_all
        count = {"n": 0}

        def due(name):
            if match not in name:
                return False
            count["n"] += 1
            return count["n"] > writes

        def full_sync(path):
            if not due(os.path.basename(path)):
                return sync_file(path)
            with open(path, "r+b") as handle:
                handle.truncate(min(after, os.path.getsize(path)))
            raise enospc(path)

        def full_write(handle, data):
            if not due(os.path.basename(handle.name)):
                return write_all(handle, data)
            write_all(handle, data[:after])
            raise enospc()

        monkeypatch.setattr(resources, "sync_file", full_sync)
        monkeypatch.setattr(resources, "write_all", full_write)

    return fill


def partial_files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if "partial" in p.name)


def assert_one_line(error, *fragments):
    message = str(error.value)
    assert "\n" not in message, message
    for fragment in (NO_SPACE, *fragments):
        assert str(fragment) in message, message


def metric_steps(save_dir):
    return [int(step) for step in training.read_metrics(save_dir / training.METRICS_FILE)["step"]]


@pytest.fixture
def run_to_4(tmp_path):
    save_dir = tmp_path / "run"
    training.train(loss="clip", steps=4, save_dir=save_dir, checkpoint_every=2, **TOY)
    return save_dir


# --- the helpers ------------------------------------------------------------------------------


def test_atomic_path_keeps_the_old_file_and_removes_the_temporary_one(tmp_path, full_disk):
    path = tmp_path / "file.txt"
    path.write_text("old")
    full_disk(after=2)
    with pytest.raises(ValueError) as raised:
        resources.write_text(path, "new contents", "out")
    assert_one_line(raised, f"out {path}: writing failed")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["file.txt"]


def test_an_error_inside_atomic_path_passes_unchanged_and_leaves_nothing(tmp_path):
    path = tmp_path / "model.keras"
    with pytest.raises(KeyError), resources.atomic_path(path) as temporary:
        temporary.write_bytes(b"half")
        raise KeyError("boom")
    assert os.listdir(tmp_path) == []


def test_a_temporary_name_keeps_the_extensions_a_library_reads():
    name = resources.temporary_name("out/mnist_classifier.weights.h5").name
    assert name.startswith(".mnist_classifier.partial-") and name.endswith(".weights.h5")


# --- the run folder ---------------------------------------------------------------------------


def test_config_json_on_a_full_disk_leaves_no_file_and_no_folder(tmp_path, full_disk):
    save_dir = tmp_path / "run"
    full_disk(match="config")
    with pytest.raises(ValueError) as raised:
        training.train(loss="clip", steps=2, save_dir=save_dir, **TOY)
    assert_one_line(raised, save_dir / training.CONFIG_FILE)
    assert not save_dir.exists()


def test_write_config_keeps_the_old_config(run_to_4, full_disk):
    old = (run_to_4 / training.CONFIG_FILE).read_text()
    full_disk(after=3)
    with pytest.raises(ValueError) as raised:
        training.write_config(run_to_4, {"loss": "gp"})
    assert_one_line(raised, run_to_4 / training.CONFIG_FILE)
    assert (run_to_4 / training.CONFIG_FILE).read_text() == old
    assert partial_files(run_to_4) == []


def test_the_lock_file_on_a_full_disk_is_one_line_and_removed(tmp_path, full_disk):
    save_dir = tmp_path / "run"
    full_disk(match="lock")
    with pytest.raises(ValueError) as raised:
        training.train(loss="clip", steps=2, save_dir=save_dir, **TOY)
    assert_one_line(raised, f"save_dir {save_dir}: cannot write there")
    assert not save_dir.exists()


def test_truncating_metrics_on_a_full_disk_keeps_the_old_rows(run_to_4, full_disk):
    path = run_to_4 / training.METRICS_FILE
    old = path.read_bytes()
    full_disk(after=40)
    with pytest.raises(ValueError) as raised:
        training.truncate_metrics(path, 2)
    assert_one_line(raised, path)
    assert path.read_bytes() == old and partial_files(run_to_4) == []


def test_a_torn_last_metrics_row_is_dropped(run_to_4):
    path = run_to_4 / training.METRICS_FILE
    text = path.read_bytes()
    path.write_bytes(text[:-5])  # the last row lost its end (same number of fields)
    training.truncate_metrics(path, 10)
    assert metric_steps(run_to_4) == [1, 2, 3]
    assert path.read_bytes() == text[: text.rindex(b"\r\n", 0, len(text) - 2) + 2]


def test_a_failed_metrics_append_stops_cleanly_and_resumes(run_to_4, full_disk, monkeypatch):
    full_disk(after=7, match="metrics", writes=3)  # rows of steps 5, 6, 7; 8 fails
    with pytest.raises(ValueError) as raised:
        training.train(steps=12, save_dir=run_to_4, checkpoint_every=2, progress=False)
    assert_one_line(raised, run_to_4 / training.METRICS_FILE)
    assert (run_to_4 / training.METRICS_FILE).read_bytes().endswith(b"\r\n")  # no torn row
    assert metric_steps(run_to_4) == [1, 2, 3, 4, 5, 6, 7]
    assert training.checkpoint_steps(run_to_4 / training.CHECKPOINT_DIR)[0] == 6
    monkeypatch.undo()
    training.train(steps=10, save_dir=run_to_4, progress=False)
    assert metric_steps(run_to_4) == list(range(1, 11))


@pytest.mark.parametrize("name", [training.GENERATOR_FILE, training.CURVES_FILE])
def test_a_full_disk_at_the_end_keeps_the_old_file_and_the_checkpoint(run_to_4, full_disk, name):
    old = (run_to_4 / name).read_bytes()
    full_disk(after=100, match=name.split(".")[0])
    with pytest.raises(ValueError) as raised:
        training.train(steps=6, save_dir=run_to_4, checkpoint_every=2, progress=False)
    assert_one_line(raised, run_to_4 / name)
    assert (run_to_4 / name).read_bytes() == old and partial_files(run_to_4) == []
    assert training.checkpoint_steps(run_to_4 / training.CHECKPOINT_DIR)[0] == 6


def test_a_sample_grid_on_a_full_disk_stops_the_run_without_a_partial_file(tmp_path, full_disk):
    samples = tmp_path / "grids"
    full_disk(match="step_", writes=1)
    with pytest.raises(ValueError) as raised:
        training.train(
            loss="clip", steps=8, save_dir=tmp_path / "run", samples_dir=samples,
            sample_every=2, checkpoint_every=2, **TOY,
        )  # fmt: skip
    assert_one_line(raised, samples / "step_000002.png")
    assert sorted(os.listdir(samples)) == ["step_000000.png"]


def test_a_failed_checkpoint_removes_its_partial_files_and_stays_resumable(run_to_4, monkeypatch):
    save = tf.train.CheckpointManager.save

    def full(self, checkpoint_number=None, **kwargs):
        if checkpoint_number == 6:
            temporary = os.path.join(self.directory, "ckpt-6_temp")
            os.makedirs(temporary)
            with open(os.path.join(temporary, "part-00000-of-00001.data"), "wb") as handle:
                handle.write(b"half a checkpoint")
            raise tf.errors.ResourceExhaustedError(None, None, f"{temporary}; {NO_SPACE}")
        return save(self, checkpoint_number=checkpoint_number, **kwargs)

    monkeypatch.setattr(tf.train.CheckpointManager, "save", full)
    with pytest.raises(ValueError) as raised:
        training.train(steps=10, save_dir=run_to_4, checkpoint_every=2, progress=False)
    assert_one_line(raised, "checkpoint of step 6", "the last good checkpoint is step 4")
    folder = run_to_4 / training.CHECKPOINT_DIR
    assert not [p for p in folder.iterdir() if p.name.startswith("ckpt-6")]
    monkeypatch.undo()
    training.train(steps=10, save_dir=run_to_4, progress=False)
    assert metric_steps(run_to_4) == list(range(1, 11))


# --- caches and other files -------------------------------------------------------------------


def test_real_statistics_cache_on_a_full_disk(tmp_path, monkeypatch, full_disk):
    monkeypatch.setenv("WGAN_TUTORIAL_CACHE", str(tmp_path / "cache"))
    full_disk(after=64, match="mnist_test_n23")
    with pytest.raises(ValueError) as raised:
        metrics.real_statistics("test", n=23)
    assert_one_line(raised, tmp_path / "cache" / "fid_statistics")
    assert os.listdir(tmp_path / "cache" / "fid_statistics") == []


def test_a_cache_path_that_is_a_file_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("not a folder")
    monkeypatch.setenv("WGAN_TUTORIAL_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ValueError, match=f"cache folder {tmp_path / 'cache'}: cannot create it"):
        metrics.real_statistics("test", n=24)
    assert os.listdir(tmp_path) == ["cache"]


def test_an_unwritable_statistics_cache_leaves_no_partial_file(tmp_path, monkeypatch):
    monkeypatch.setenv("WGAN_TUTORIAL_CACHE", str(tmp_path / "cache"))

    def no_write(file, **arrays):  # the file is created, then the write is refused
        open(file, "wb").close()
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))

    monkeypatch.setattr(np, "savez", no_write)
    with pytest.raises(ValueError) as raised:
        metrics.real_statistics("test", n=25)
    assert "Permission denied" in str(raised.value) and "fid_statistics" in str(raised.value)
    assert os.listdir(tmp_path / "cache" / "fid_statistics") == []


def test_classifier_weights_on_a_full_disk_keep_the_old_file(tmp_path, full_disk):
    path = tmp_path / "mnist_classifier.weights.h5"
    classifier = metrics.build_classifier()
    metrics.save_classifier_weights(classifier, path)
    old = path.read_bytes()
    full_disk(after=1000)
    with pytest.raises(ValueError) as raised:
        metrics.save_classifier_weights(classifier, path)
    assert_one_line(raised, path)
    assert path.read_bytes() == old and os.listdir(tmp_path) == [path.name]


def test_a_wav_on_a_full_disk_keeps_the_old_file(tmp_path, full_disk):
    path = tmp_path / "digit.wav"
    sonify.write_wav(path, np.zeros(100))
    old = path.read_bytes()
    full_disk(after=10)
    with pytest.raises(ValueError) as raised:
        sonify.write_wav(path, np.full(1000, 0.5))
    assert_one_line(raised, path)
    assert path.read_bytes() == old and os.listdir(tmp_path) == ["digit.wav"]


def test_train_classifier_with_a_cache_path_that_is_a_file_is_one_line(
    tmp_path, monkeypatch, capsys
):
    from tests.cli_run import run

    (tmp_path / "cache").write_text("not a folder")
    monkeypatch.setenv("WGAN_TUTORIAL_CACHE", str(tmp_path / "cache"))
    status, _, stderr = run(["train-classifier", "--limit", "10", "--epochs", "1"], capsys)
    assert status == 2 and len(stderr.strip().splitlines()) == 1, stderr
    assert f"cache folder {tmp_path / 'cache'}: cannot create it" in stderr
    assert os.listdir(tmp_path) == ["cache"]
