"""The shipped class-conditional model `pretrained:cwgan-gp-mnist` (issue #15): it loads
offline, draws the digit it is asked for, and records how it was trained
(notebooks/07_do_generated_digits_help.ipynb uses it)."""

import json
import re

import numpy as np
import pytest

from tests.shipped import (
    assert_recorded_command_gives_the_shipped_config,
    assert_trimmed_run_folder,
)
from wgan_tutorial import metrics, models, pretrained, training

NAME = "cwgan-gp-mnist"
SOURCE = f"pretrained:{NAME}"


@pytest.fixture(scope="module")
def generator():
    return pretrained.load_generator(SOURCE)


def test_the_run_folder_is_trimmed_and_says_how_it_was_trained():
    assert_trimmed_run_folder(NAME)
    folder = pretrained.pretrained_dir() / NAME
    config = json.loads((folder / "config.json").read_text())
    # Gulrajani et al. 2017, Algorithm 1 (lambda 10, n_critic 5), conditional on the label
    assert (config["loss"], config["dataset"], config["conditional"]) == ("gp", "mnist", True)
    assert (config["gp_weight"], config["n_critic"], config["one_sided"]) == (10.0, 5, False)
    text = (folder / "command.txt").read_text()
    assert re.search(
        r"^\$ wgan-tutorial train --loss gp --dataset mnist --conditional .*--save-dir", text, re.M
    )
    assert re.search(r"^agreement( +[\d.]+){11} %$", text, re.M)


def test_the_full_wgan_resumes_at_its_recorded_step():
    wgan = pretrained.load_wgan(SOURCE)
    history = training.read_metrics(pretrained.pretrained_dir() / NAME / "metrics.csv")
    assert wgan.step == int(history["step"][-1]) and wgan.num_classes == 10


def test_samples_are_read_as_the_digit_asked_for(generator):
    # issue #15 asks for >= 95 % on 10,000 samples (97.9 % recorded in command.txt); 100 per
    # class here keeps the test quick: at 97.9 % the standard error is 0.45 points.
    labels = np.repeat(np.arange(10), 100)
    images = models.sample(generator, len(labels), seed=1, labels=labels)
    read = metrics.classify(images)
    assert np.mean(read == labels) >= 0.95
    per_class = [np.mean(read[labels == k] == k) for k in range(10)]
    assert min(per_class) >= 0.85, per_class


def test_recorded_command_trains_with_the_shipped_config(monkeypatch):
    assert_recorded_command_gives_the_shipped_config(NAME, monkeypatch)
