"""A run folder is never lost or mixed up (issue #31): a rejected run leaves nothing behind, a
folder with a trained run but no checkpoint is never restarted, data that vanishes mid-run
stops with one line and a checkpoint, and a resume on other data is refused.

Each test reproduced its fault before the fix it guards.
"""

import json
import logging
import shutil

import numpy as np
import pytest

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import training  # noqa: E402
from wgan_tutorial.training import loop  # noqa: E402

TOY = dict(dataset="8gaussians", width=8, depth=1, batch_size=8, progress=False)


def metric_steps(save_dir):
    return [int(step) for step in training.read_metrics(save_dir / training.METRICS_FILE)["step"]]


def tree(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


# --- 1. a rejected run leaves no file or folder behind -----------------------------------------


def test_a_rejected_run_removes_the_folders_it_created(tmp_path):
    save_dir, samples = tmp_path / "new" / "run", tmp_path / "grids"
    with pytest.raises(ValueError, match="batch_size x n_critic must be <="):
        training.train(
            loss="gp",
            steps=2,
            save_dir=save_dir,
            samples_dir=samples,
            **{**TOY, "batch_size": 5000},
        )
    assert tree(tmp_path) == []


def test_a_rejected_run_leaves_an_existing_folder_as_it_was(tmp_path):
    save_dir = tmp_path / "run"
    save_dir.mkdir()
    (save_dir / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="batch_size x n_critic must be <="):
        training.train(loss="gp", steps=2, save_dir=save_dir, **{**TOY, "batch_size": 5000})
    assert tree(tmp_path) == ["run", "run/notes.txt"]
    assert (save_dir / "notes.txt").read_text() == "mine"


# --- 2. metrics or a generator without a checkpoint: never restarted ----------------------------


@pytest.fixture
def run_to_4(tmp_path):
    save_dir = tmp_path / "run"
    training.train(loss="clip", steps=4, save_dir=save_dir, checkpoint_every=2, **TOY)
    return save_dir


def test_a_run_without_its_checkpoints_is_not_restarted(run_to_4):
    shutil.rmtree(run_to_4 / training.CHECKPOINT_DIR)
    metrics = (run_to_4 / training.METRICS_FILE).read_bytes()
    generator = (run_to_4 / training.GENERATOR_FILE).read_bytes()
    with pytest.raises(ValueError) as raised:
        training.train(steps=5, save_dir=run_to_4, progress=False)
    message = str(raised.value)
    assert str(run_to_4) in message and "\n" not in message
    assert "metrics.csv with 4 rows and generator.keras but no checkpoint in checkpoints/" in (
        message
    )
    assert "another save_dir" in message and "delete the folder" in message
    assert (run_to_4 / training.METRICS_FILE).read_bytes() == metrics
    assert (run_to_4 / training.GENERATOR_FILE).read_bytes() == generator


def test_metrics_alone_without_a_checkpoint_are_not_cut(run_to_4):
    shutil.rmtree(run_to_4 / training.CHECKPOINT_DIR)
    (run_to_4 / training.GENERATOR_FILE).unlink()
    with pytest.raises(ValueError, match="holds metrics.csv with 4 rows but no checkpoint"):
        training.train(steps=5, save_dir=run_to_4, progress=False)
    assert metric_steps(run_to_4) == [1, 2, 3, 4]


# --- 5. data that vanishes during training -----------------------------------------------------


def failing_after(batches, error):
    """A `real_dataset` whose data fails to arrive after `batches` stacked batches."""
    real_dataset = loop.real_dataset

    def patched(config, shuffle_seed):
        real, size = real_dataset(config, shuffle_seed)

        def fail():
            raise error
            yield  # a generator

        broken = tf.data.Dataset.from_generator(fail, output_signature=real.element_spec)
        return real.take(batches).concatenate(broken), size

    return patched


@pytest.mark.parametrize(
    "error", [OSError(5, "Input/output error"), FileNotFoundError(2, "No such file or directory")]
)
def test_data_failing_mid_run_saves_a_checkpoint_and_resumes(tmp_path, monkeypatch, error):
    save_dir = tmp_path / "run"
    monkeypatch.setattr(loop, "real_dataset", failing_after(7, error))
    with pytest.raises(ValueError) as raised:
        training.train(loss="clip", steps=20, save_dir=save_dir, checkpoint_every=5, **TOY)
    message = str(raised.value)
    assert "\n" not in message, message
    assert "the training data (8gaussians) failed after step 7" in message, message
    assert "a checkpoint of step 7 was saved" in message and str(save_dir) in message
    assert training.checkpoint_steps(save_dir / training.CHECKPOINT_DIR)[0] == 7
    monkeypatch.undo()
    training.train(steps=10, save_dir=save_dir, progress=False)
    assert metric_steps(save_dir) == list(range(1, 11))


def test_a_folder_whose_images_are_deleted_mid_run_stops_in_one_line(tmp_path):
    from PIL import Image

    folder, save_dir = tmp_path / "images", tmp_path / "run"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for index in range(20):
        pixels = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"{index:02d}.png")
    backup = tmp_path / "backup"
    shutil.copytree(folder, backup)

    class DeleteImages(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.step == 2:
                for path in folder.glob("*.png"):
                    path.unlink()

    options = dict(
        loss="clip", dataset="folder", data_dir=folder, image_size=32, width=4, batch_size=4
    )
    with pytest.raises(ValueError) as raised:
        training.train(
            steps=400,
            save_dir=save_dir,
            checkpoint_every=100,
            progress=False,
            callbacks=[DeleteImages()],
            **options,
        )
    message = str(raised.value)
    assert "\n" not in message and f"the training data ({folder})" in message, message
    assert "could be read" in message and "was saved" in message, message
    step = training.checkpoint_steps(save_dir / training.CHECKPOINT_DIR)[0]
    assert f"failed after step {step}" in message
    shutil.copytree(backup, folder, dirs_exist_ok=True)
    training.train(steps=step + 2, save_dir=save_dir, data_dir=folder, progress=False)
    assert metric_steps(save_dir) == list(range(1, step + 3))


# --- 6. resume: the data source is recorded and checked ----------------------------------------


def folder_of_images(folder, n=20, size=32):
    from PIL import Image

    folder.mkdir()
    rng = np.random.default_rng(len(str(folder)))
    for index in range(n):
        pixels = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"{index:02d}.png")
    return folder


FOLDER = dict(loss="clip", dataset="folder", image_size=32, width=4, batch_size=4, progress=False)


def test_config_records_the_data_source_and_a_resume_on_other_data_is_refused(tmp_path):
    first, second = folder_of_images(tmp_path / "a"), folder_of_images(tmp_path / "b")
    save_dir = tmp_path / "run"
    training.train(steps=2, save_dir=save_dir, data_dir=first, **FOLDER)
    saved = json.loads((save_dir / training.CONFIG_FILE).read_text())
    assert saved["data_source"] == str(first.absolute())
    with pytest.raises(ValueError) as raised:
        training.train(steps=3, save_dir=save_dir, data_dir=second, progress=False)
    assert f"saved run trained on {first.absolute()}, now {second.absolute()}" in str(raised.value)
    assert metric_steps(save_dir) == [1, 2]
    training.train(steps=3, save_dir=save_dir, data_dir=first, progress=False)
    assert metric_steps(save_dir) == [1, 2, 3]


def test_toy_and_mnist_runs_record_their_source(tmp_path):
    training.train(loss="clip", steps=1, save_dir=tmp_path / "toy", **TOY)
    assert json.loads((tmp_path / "toy" / training.CONFIG_FILE).read_text())["data_source"] is None
    training.train(
        loss="clip", steps=1, save_dir=tmp_path / "mnist", width=4, batch_size=4, progress=False
    )
    source = json.loads((tmp_path / "mnist" / training.CONFIG_FILE).read_text())["data_source"]
    assert source.startswith("the shipped subset")  # fast mode


def test_a_run_saved_before_the_data_source_resumes_with_one_warning(run_to_4, caplog):
    path = run_to_4 / training.CONFIG_FILE
    config = json.loads(path.read_text())
    del config["data_source"]
    path.write_text(json.dumps(config))
    with caplog.at_level(logging.WARNING):
        training.train(steps=5, save_dir=run_to_4, progress=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "does not record its data source" in warnings[0], warnings
    assert metric_steps(run_to_4) == [1, 2, 3, 4, 5]


def test_repeating_the_saved_image_size_or_channels_on_resume_is_accepted(tmp_path):
    folder = folder_of_images(tmp_path / "a")
    save_dir = tmp_path / "run"
    options = {**FOLDER, "image_size": 32}
    training.train(steps=2, save_dir=save_dir, data_dir=folder, channels=1, **options)
    training.train(steps=3, save_dir=save_dir, data_dir=folder, image_size=32, progress=False)
    training.train(steps=4, save_dir=save_dir, data_dir=folder, channels=1, progress=False)
    training.train(steps=5, save_dir=save_dir, data_dir=folder, **options)
    assert metric_steps(save_dir) == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match=r"image_shape=\[32, 32, 1\], requested image_shape="):
        training.train(steps=6, save_dir=save_dir, data_dir=folder, channels=3, progress=False)
