"""The shipped weight-clipping WGAN (pretrained:wgan-clip-mnist) of notebook 02."""

import re
import socket

import numpy as np
import pytest

from tests.shipped import (
    assert_recorded_command_gives_the_shipped_config,
    assert_trimmed_run_folder,
)
from wgan_tutorial import data, models, pretrained, training

NAME = "wgan-clip-mnist"
FOLDER = pretrained.pretrained_dir() / NAME


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the pretrained model must load without a network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def clip_wgan():
    return pretrained.load_wgan(f"pretrained:{NAME}")


def test_is_listed_and_holds_the_run_files_with_only_the_latest_checkpoint():
    assert_trimmed_run_folder(NAME)


def test_was_trained_with_the_papers_clipping_algorithm_at_the_recorded_rate():
    # Arjovsky et al. 2017 (arXiv 1701.07875), Algorithm 1: RMSProp, c = 0.01, n_critic = 5,
    # batch 64; the learning rate is 10 x the paper's 5e-5 (notebook 02, section 2, gives the
    # measurements) and samples come from a moving average of the generator's weights (it
    # leaves training unchanged); the command file must say so.
    config = training.read_config(FOLDER)
    assert config["loss"] == "clip" and config["dataset"] == "mnist"
    assert (config["clip_value"], config["n_critic"], config["batch_size"]) == (0.01, 5, 64)
    assert config["learning_rate"] == 5e-4 and config["ema"] == 0.999
    command = (FOLDER / "command.txt").read_text()
    assert re.search(
        r"^\$ wgan-tutorial train --loss clip --dataset mnist .*--learning-rate "
        r"0\.0005 --ema 0\.999",
        command,
        re.M,
    )


def test_loads_offline_and_samples_images_with_mnist_s_share_of_background(offline):
    generator = pretrained.load_generator(f"pretrained:{NAME}")
    images = models.sample(generator, 16, seed=0)
    assert images.shape == (16, 28, 28, 1) and images.dtype == np.float32
    # Independent of the model: real test digits are ~81.5% background (uint8 <= 12, i.e.
    # <= -0.9 in the tanh range); generated digits match that within 0.06 (0.79-0.83
    # measured for seeds 0-2), an untrained generator's grey fog has none.
    real = data.load_mnist("test", verbose=False)[0]
    assert np.mean(images <= -0.9) == pytest.approx(np.mean(real <= 12), abs=0.06)
    assert images.mean(axis=(1, 2, 3)).std() > 0.02  # not one image 16 times


def test_checkpoint_and_metrics_describe_the_same_run(clip_wgan):
    history = training.read_metrics(FOLDER / "metrics.csv")
    assert clip_wgan.step == int(history["step"][-1])  # the log keeps every 10th step
    assert np.all(np.diff(history["step"]) > 0)
    assert np.all(np.isfinite(history["w_estimate"]))


def test_critic_weights_all_lie_within_the_clipping_bounds(clip_wgan):
    c = np.float32(training.read_config(FOLDER)["clip_value"])
    assert clip_wgan.loss_type == "clip"
    for variable in clip_wgan.critic.trainable_variables:
        assert np.all(np.abs(variable.numpy()) <= c), variable.path


def test_recorded_command_trains_with_the_shipped_config(monkeypatch):
    assert_recorded_command_gives_the_shipped_config(NAME, monkeypatch)
