"""Training Wasserstein GANs: the model, its callbacks, the run folder and the train loop.

- `wgan`: the `WGAN` keras.Model, whose `train_step` is one generator iteration of
  Algorithm 1 of either paper, and the papers' optimizers.
- `callbacks`: metrics.csv, checkpoints, sample grids, progress and clean stops.
- `run_folder`: what a run keeps on disk, and resuming from it.
- `loop`: `train`, the entry point of the notebooks and of `wgan-tutorial train`.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

from wgan_tutorial.losses import LOSSES as _LOSS_REGISTRY
from wgan_tutorial.training.callbacks import (
    CHECKED_FOR_NAN,
    CheckpointSaver,
    MetricsLogger,
    NonFiniteLossError,
    ProgressBar,
    SampleGrid,
    StopOnNonFinite,
    StopOnSignals,
    TimeBudget,
    TrainingInterrupted,
    healthy,
)
from wgan_tutorial.training.loop import (
    default_config,
    real_dataset,
    resolve,
    steps_for_epochs,
    summary_line,
    toy_pool_size,
    train,
    wgan_from_config,
)
from wgan_tutorial.training.run_folder import (
    CHECKPOINT_DIR,
    CONFIG_FILE,
    CONFIG_KEYS,
    CURVES_FILE,
    GENERATOR_FILE,
    METRIC_COLUMNS,
    METRICS_FILE,
    checkpoint_steps,
    columns,
    make_checkpoint,
    read_config,
    read_index,
    read_metrics,
    restore_latest,
    truncate_metrics,
    write_config,
)
from wgan_tutorial.training.wgan import WGAN, FadingRate, default_optimizers

LOSSES = tuple(_LOSS_REGISTRY)  # the loss names, as `train(loss=...)` takes them

__all__ = [
    "CHECKED_FOR_NAN",
    "CHECKPOINT_DIR",
    "CONFIG_FILE",
    "CONFIG_KEYS",
    "CURVES_FILE",
    "CheckpointSaver",
    "FadingRate",
    "GENERATOR_FILE",
    "LOSSES",
    "METRICS_FILE",
    "METRIC_COLUMNS",
    "MetricsLogger",
    "NonFiniteLossError",
    "ProgressBar",
    "SampleGrid",
    "StopOnNonFinite",
    "StopOnSignals",
    "TimeBudget",
    "TrainingInterrupted",
    "WGAN",
    "checkpoint_steps",
    "columns",
    "default_config",
    "default_optimizers",
    "healthy",
    "make_checkpoint",
    "read_config",
    "read_index",
    "read_metrics",
    "real_dataset",
    "resolve",
    "restore_latest",
    "steps_for_epochs",
    "summary_line",
    "toy_pool_size",
    "train",
    "truncate_metrics",
    "wgan_from_config",
    "write_config",
]
