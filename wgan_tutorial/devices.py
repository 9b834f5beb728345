"""Where a run trains: one device, or several in data parallel under `MirroredStrategy`.

`train(devices=N)` copies the networks onto N devices (`tf.distribute.MirroredStrategy`, the
engine TensorFlow ships) and splits every global batch of B samples into N slices of B / N.
Each replica computes its slice's losses divided by N, and the optimizers sum the replicas'
gradients (an all-reduce), so an update is the one a single device makes on the whole batch.
Three things keep it the same update, to float tolerance, and this module holds them:

- `interleave`: the real data. A training step receives n_critic batches stacked into one
  tensor, and the strategy hands replica r the r-th contiguous block of it; rows are
  reordered so that block holds the r-th slice of each of the n_critic batches.
- `replica_rows`: the random draws. Every replica draws the noise and the interpolation
  weights for the global batch from the same generator state and keeps its own rows, so the
  sample i of a batch gets the same z and epsilon on any number of devices.
- `synchronize_batch_norm`: batch norm in the generator normalises over the global batch
  (its statistics are summed across replicas), not over each replica's slice.

On one device none of this changes a number: the step is the one the papers describe. On a
machine without GPUs, `split_cpu(N)` makes N logical CPU devices, so the data-parallel path
runs and is tested anywhere (slower than one device: it is for trying, not for speed).

Taught in notebooks/06_your_own_images.ipynb (training on GPUs).
"""

import functools

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402


def resolve_devices(devices):
    """The devices `train(devices=...)` asks for, as (kind, count) with kind "GPU" or "CPU".

    Args:
        devices: int >= 1, or "all": every GPU, or one CPU when there is none.

    Returns:
        ("GPU", n) when the machine has GPUs (n of them), else ("CPU", n): n logical CPU
        devices, made by `split_cpu`.

    Raises:
        ValueError: devices not an integer >= 1 nor "all", or more GPUs than the machine has.
    """
    gpus = tf.config.list_physical_devices("GPU")
    if devices == "all":
        return ("GPU", len(gpus)) if gpus else ("CPU", 1)
    if isinstance(devices, bool) or not isinstance(devices, int) or devices < 1:
        raise ValueError(f"devices must be an integer >= 1 or 'all', got {devices!r}")
    if gpus and devices > len(gpus):
        raise ValueError(f"devices must be at most the {len(gpus)} GPUs here, got {devices}")
    return ("GPU", devices) if gpus else ("CPU", devices)


def split_cpu(count):
    """Split the CPU into `count` logical devices (once, before TensorFlow starts its runtime).

    Returns:
        The logical CPU devices' names.

    Raises:
        ValueError: TensorFlow's runtime already started with another number of CPU devices
            (restart the Python process or kernel and ask for the devices first).
    """
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
        )
    except RuntimeError:
        pass  # the runtime has started: only an existing split of the same size will do
    names = [device.name for device in tf.config.list_logical_devices("CPU")]
    if len(names) != count:
        raise ValueError(
            f"devices={count} needs {count} logical CPU devices, but TensorFlow already "
            f"started with {len(names)}: start a new Python process (or restart the kernel) "
            f"and train with devices={count} before anything else runs TensorFlow"
        )
    return names


def strategy_for(devices):
    """The `tf.distribute` strategy of `train(devices=...)`: the default one-device strategy
    for 1, a `MirroredStrategy` over the devices otherwise (one per process and device set:
    a second strategy over the same devices fails in TensorFlow's collective operations).

    Raises:
        ValueError: as `resolve_devices` and `split_cpu`.
    """
    kind, count = resolve_devices(devices)
    if count == 1:
        return tf.distribute.get_strategy()
    return _mirrored(kind, count)


@functools.cache
def _mirrored(kind, count):
    if kind == "GPU":
        names = [device.name for device in tf.config.list_logical_devices("GPU")][:count]
    else:
        names = split_cpu(count)
    return tf.distribute.MirroredStrategy(names)


def replicas():
    """How many replicas run this step in sync (1 outside a multi-device strategy)."""
    context = tf.distribute.get_replica_context()
    return 1 if context is None else context.num_replicas_in_sync


def replica_rows(draw, rows):
    """This replica's `rows` rows of `draw(rows x replicas)`: a draw made for the global batch.

    Every replica holds the same random generator state, so each draws the same global
    tensor and keeps its own slice; on one device this is `draw(rows)` itself.

    Args:
        draw: a function of a row count returning a tensor (count, ...).
        rows: the replica's batch size (a scalar tensor or int).
    """
    count = replicas()
    if count == 1:
        return draw(rows)
    start = tf.distribute.get_replica_context().replica_id_in_sync_group * rows
    return draw(rows * count)[start : start + rows]


def local_loss(loss):
    """A replica's loss as its share of the global mean: loss / replicas. The optimizers sum
    the replicas' gradients, so the sum is the gradient of the mean over the global batch."""
    count = replicas()
    return loss if count == 1 else loss / count


def global_gradients(gradients):
    """The gradients summed over replicas (the global batch's), for logging their norm; the
    optimizers do their own sum."""
    if replicas() == 1:
        return gradients
    return tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.SUM, gradients)


def interleave(dataset, n_critic, count):
    """Reorder each stacked element (n_critic x B rows) of `dataset` for `count` replicas.

    The strategy gives replica r the rows [r B n_critic / count, (r + 1) B n_critic / count);
    after this reordering those rows are the r-th slice (B / count rows) of each of the
    n_critic batches, in order. Elements may be a tensor or a tuple (images, labels).
    """
    if count == 1:
        return dataset

    def reorder(rows):
        shape = tf.shape(rows)
        parts = tf.reshape(rows, tf.concat([[n_critic, count, -1], shape[1:]], 0))
        order = tf.concat([[1, 0], tf.range(2, tf.rank(parts))], 0)
        return tf.reshape(tf.transpose(parts, order), shape)

    return dataset.map(
        lambda *element: tuple(map(reorder, element)) if len(element) > 1 else reorder(*element)
    )


def synchronize_batch_norm(model):
    """Make `model`'s batch-norm layers normalise over the global batch on several replicas
    (Keras' `synchronized`): without it each would use its own slice's statistics."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.synchronized = True
