"""Training on several devices (`wgan_tutorial.devices`, `train(devices=N)`).

The data-parallel path must make the update one device makes on the whole batch: a fresh
process (tests/replicas_check.py) splits the CPU into two logical devices and trains the same
runs on one device and on two replicas; the weights must agree to float32 rounding. The
pieces that make it so are checked here against numpy: the reordering of the stacked real
batches, the per-replica slice of a global random draw, and the options' checks.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wgan_tutorial import defaults, devices, training
from wgan_tutorial.config import import_tensorflow
from wgan_tutorial.run_config import RunConfig, default_values, paper_values

tf = import_tensorflow()

# float32 rounding of sums taken in another order, after a few updates of Adam or RMSProp
WEIGHT_TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def replicas():
    """The JSON printed by tests/replicas_check.py (one fresh process for the module)."""
    env = dict(os.environ, WGAN_TUTORIAL_FAST="1", TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("replicas_check.py"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", ["clip", "gp, conditional", "gp, MNIST defaults"])
def test_two_replicas_make_the_update_of_one_device(replicas, case):
    # the same global batch, noise and interpolation weights: the same weights after the steps
    assert replicas[case]["variables"] > 10
    assert replicas[case]["weights"] < WEIGHT_TOLERANCE
    assert replicas[case]["metrics"] < 1e-4


def test_a_run_on_two_replicas_stops_on_sigterm_and_resumes(replicas):
    run = replicas["stopped and resumed"]
    assert "stopped by SIGTERM at step 3" in run["stopped"]
    assert run["checkpoints after the signal"] == ["ckpt-2.index", "ckpt-3.index"]
    assert run["steps"] == [1, 2, 3, 4, 5, 6] and run["resumed to"] == 6
    assert run["finite"]


def test_a_nan_on_two_replicas_stops_with_the_last_good_checkpoint(replicas):
    assert "diverged at step 4" in replicas["nan"]
    assert "last good checkpoint (step 2)" in replicas["nan"]


@pytest.mark.parametrize("n_critic, count", [(1, 2), (3, 2), (2, 4)])
def test_interleave_gives_each_replica_its_slice_of_every_critic_batch(n_critic, count):
    batch = 4 * count
    rows = np.arange(n_critic * batch * 3, dtype=np.float32).reshape(n_critic * batch, 3)
    labels = np.arange(n_critic * batch, dtype=np.int32)
    dataset = tf.data.Dataset.from_tensors((rows, labels))
    reordered, reordered_labels = next(iter(devices.interleave(dataset, n_critic, count)))
    local = batch // count
    for replica in range(count):
        # what the strategy hands replica r: its contiguous block, n_critic x local rows
        block = reordered.numpy()[replica * n_critic * local : (replica + 1) * n_critic * local]
        for i in range(n_critic):
            wanted = rows[i * batch + replica * local : i * batch + (replica + 1) * local]
            np.testing.assert_array_equal(block[i * local : (i + 1) * local], wanted)
    np.testing.assert_array_equal(reordered[:, 0].numpy() // 3, reordered_labels.numpy())


def test_interleave_and_replica_rows_change_nothing_on_one_device():
    dataset = tf.data.Dataset.from_tensors(np.arange(12.0).reshape(6, 2))
    assert devices.interleave(dataset, 3, 1) is dataset
    assert devices.replicas() == 1
    draws = []
    assert devices.replica_rows(lambda rows: draws.append(rows) or rows * 10, 5) == 50
    assert draws == [5]


@pytest.mark.parametrize(
    "devices_value, message",
    [(0, "devices must be an integer >= 1"), (-1, ">= 1"), (1.5, ">= 1"), ("two", ">= 1")],
)
def test_devices_out_of_range_is_a_value_error_naming_it(devices_value, message):
    with pytest.raises(ValueError, match=message):
        RunConfig.resolve(devices=devices_value)


def test_devices_all_and_one_keep_a_single_device_here():
    # no GPU on the test machines: 'all' is the CPU, and one device is the default strategy
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("this machine has GPUs")
    assert devices.resolve_devices("all") == ("CPU", 1)
    assert devices.strategy_for(1) is tf.distribute.get_strategy()


def test_more_devices_than_the_running_tensorflow_has_is_a_clear_error():
    tf.constant(0)  # the runtime has started with one CPU device in this process
    with pytest.raises(ValueError, match="devices=3 needs 3 logical CPU devices"):
        devices.split_cpu(3)


def test_batch_size_must_split_evenly_across_devices():
    with pytest.raises(ValueError, match="batch_size must be a multiple of the 2 devices"):
        training.train(
            devices=2, batch_size=5, dataset="8gaussians", steps=1, width=8, progress=False
        )


def test_the_gpu_preset_is_the_papers_values_at_their_width():
    for loss, dataset in (("gp", "mnist"), ("clip", "cifar10"), ("gp", "folder")):
        from wgan_tutorial import data, losses

        paper = paper_values(losses.get_loss(loss), data.get_dataset(dataset), False)
        gpu = default_values(loss, dataset, preset="gpu")
        assert gpu == {**paper, "width": defaults.PAPER_WIDTH}
        assert gpu["batch_size"] == 64 and gpu["n_critic"] == 5
    # the toy preset is hardware-independent; the CPU presets differ from the paper
    assert default_values("gp", "8gaussians", preset="gpu") == default_values("gp", "8gaussians")
    assert default_values("gp", "mnist")["n_critic"] == defaults.GP_MNIST_N_CRITIC
    with pytest.raises(ValueError, match="preset must be one of"):
        default_values("gp", "mnist", preset="tpu")
