"""One resolved run configuration: every choice of a training run, made once at the boundary.

`RunConfig.resolve(**options)` turns what a user asked for (keyword arguments of
`training.train`, or the command line's options, which are generated from `FIELDS`) and a
saved run's `config.json` into one frozen object: aliases resolved, the `data.Dataset` and
`losses.Loss` registry entries attached, the image shape fixed, the papers' values and the
tuned presets of `defaults.PRESETS` applied, every value checked once. Below it, objects
travel (`config.dataset_entry`, `config.loss_entry`, `config.image_shape`), not names to be
looked up again.

Adding an option is one entry of `run_fields.FIELDS` (its help, kind and range, spellings and
which runs use it), its attribute and paper value here, its use and its test: the command
line, the checks and `config.json` follow.

Taught in notebooks/03_wgan_gp_mnist.ipynb.
"""

import dataclasses
import functools
import logging
from dataclasses import dataclass
from typing import Any

from wgan_tutorial import data, defaults, losses
from wgan_tutorial.config import pick
from wgan_tutorial.run_fields import FIELD_NAMES, FIELDS, SAVED, field_named  # noqa: F401

_log = logging.getLogger(__name__)

UNLIMITED_STEPS = 10**9  # the step target of a run bounded by max_seconds only


def paper_values(loss, dataset, conditional):
    """The papers' values of every saved field for a loss and data set (registry entries)."""
    return {
        "loss": loss.name,
        "dataset": dataset.name,
        "noise_dim": defaults.NOISE_DIM,
        "width": pick(defaults.MNIST_WIDTH, defaults.MNIST_WIDTH_FAST),
        "depth": None,
        "n_critic": loss.n_critic,
        "batch_size": defaults.PAPER_BATCH_SIZE,
        "learning_rate": loss.learning_rate,
        "beta_1": defaults.BETA_1,
        "clip_value": defaults.CLIP_VALUE,
        "gp_weight": defaults.GP_WEIGHT,
        "one_sided": False,
        "seed": 0,
        "ema": 0.0,
        "critic_lr_scale": 1.0,
        "critic_lr_fade": 0,
        "generator_norm": "none",
        "image_shape": None
        if dataset.kind == "points"
        else list(data.dataset_image_shape(dataset)),
        "max_images": None,
        "conditional": bool(conditional),
    }


def default_values(loss="gp", dataset="mnist", conditional=False, preset="cpu"):
    """The saved fields a new run takes when none is given: the papers' values, then every
    preset of `defaults.PRESETS` that applies, in order.

    Args:
        loss: a name or entry of `losses.LOSSES`. dataset: a name or entry of `data.DATASETS`.
        conditional: the defaults of a class-conditional run.
        preset: one of `defaults.HARDWARE_PRESETS`: the rows tuned for that hardware (and
            those for any) apply.

    Returns:
        dict field -> value (the keys `SAVED`, in their order).
    """
    loss = loss if isinstance(loss, losses.Loss) else losses.get_loss(loss)
    dataset = data.get_dataset(dataset)
    values = paper_values(loss, dataset, conditional)
    if preset not in defaults.HARDWARE_PRESETS:
        raise ValueError(f"preset must be one of {defaults.HARDWARE_PRESETS}, got {preset!r}")
    for row in defaults.PRESETS:
        if row.hardware in ("any", preset) and row.applies(loss, dataset, bool(conditional)):
            values.update(
                {key: value() if callable(value) else value for key, value in row.values.items()}
            )
    return values


def _saved_request(options, saved):
    """The saved fields the user asked for, with the image shape resolved (a size or channel
    count not given keeps the saved run's, so repeating the saved ones is no change)."""
    request = {name: options[name] for name in SAVED if options.get(name) is not None}
    if "dataset" in request:
        request["dataset"] = data.get_dataset(request["dataset"]).name  # aliases
    size, channels = options.get("image_size"), options.get("channels")
    if size is not None or channels is not None:
        shape_of = request.get("dataset") or (saved["dataset"] if saved else "mnist")
        kept = saved["image_shape"] if saved and shape_of == saved["dataset"] else None
        if kept:
            size = kept[0] if size is None else size
            channels = kept[2] if channels is None else channels
        request["image_shape"] = list(data.dataset_image_shape(shape_of, size, channels))
    return request


def _report_unused(options, loss, dataset):
    """Log one line for each option given that this run does not use (`Field.used`)."""
    for name in FIELD_NAMES:
        used = field_named(name).used
        if options.get(name) is not None and used is not None and not used(loss, dataset):
            _log.warning(
                "%s=%r is not used by loss %s on %s: ignored",
                name,
                options[name],
                loss.name,
                dataset.name,
            )


def _check_resume(request, saved, save_dir):
    for key, value in request.items():
        if value != saved[key]:
            raise ValueError(
                f"save_dir {save_dir} holds a run with {key}={saved[key]!r}, "
                f"requested {key}={value!r} (use another save_dir, or leave "
                f"{key} unset to continue that run)"
            )


@dataclass(frozen=True)
class RunConfig:
    """Every setting of one training run, resolved (build it with `RunConfig.resolve`).

    The saved fields (`SAVED`) define the run and are written to its `config.json`; the
    others say how long it runs and where it writes. `dataset_entry` and `loss_entry` are
    the registry entries of `dataset` and `loss`.
    """

    loss: str
    dataset: str
    noise_dim: int
    width: int
    depth: Any
    n_critic: int
    batch_size: int
    learning_rate: float
    beta_1: float
    clip_value: float
    gp_weight: float
    one_sided: bool
    seed: int
    ema: float
    critic_lr_scale: float
    critic_lr_fade: int
    generator_norm: str
    image_shape: Any
    max_images: Any
    conditional: bool
    data_dir: Any = None
    steps: Any = None
    epochs: Any = None
    max_seconds: Any = None
    save_dir: Any = None
    samples_dir: Any = None
    checkpoint_every: int = 200
    sample_every: int = 200
    keep_checkpoints: int = 3
    preset: str = "cpu"
    devices: Any = 1
    jit_compile: bool = False
    progress: bool = True

    @functools.cached_property
    def dataset_entry(self):
        """The `data.Dataset` registry entry of this run's data set (looked up once)."""
        return data.get_dataset(self.dataset)

    @functools.cached_property
    def loss_entry(self):
        """The `losses.Loss` registry entry of this run's loss (looked up once)."""
        return losses.get_loss(self.loss)

    @property
    def until_time_out(self):
        """Whether only `max_seconds` ends the run (no step or epoch target)."""
        return self.steps is None and self.epochs is None and self.max_seconds is not None

    def saved(self):
        """The fields that define the run, as `config.json` holds them."""
        return {name: getattr(self, name) for name in SAVED}

    @classmethod
    def resolve(cls, saved=None, **options):
        """Resolve a user's options against a saved run (or the defaults) into a `RunConfig`.

        Args:
            saved: the `config.json` dict of the run in `save_dir`, or None for a new run.
            **options: any of `FIELD_NAMES`; None means "not given".

        Raises:
            ValueError: a value out of range (naming it), data_dir and data_path both given,
                steps and epochs both given, an option that differs from the saved run's.
            TypeError: an unknown option.
        """
        unknown = sorted(set(options) - set(FIELD_NAMES))
        if unknown:
            raise TypeError(f"unknown training option(s) {unknown}")
        if options.get("data_dir") is not None and options.get("data_path") is not None:
            raise ValueError("give data_dir or data_path, not both")
        if options.get("steps") is not None and options.get("epochs") is not None:
            raise ValueError("give steps or epochs, not both")
        request = _saved_request(options, saved)
        if saved is not None:
            _check_resume(request, saved, options.get("save_dir"))
            values = dict(saved)
        else:
            values = default_values(
                request.get("loss", "gp"),
                request.get("dataset", "mnist"),
                request.get("conditional", False),
                options.get("preset") or "cpu",
            )
            values.update(request)
        run = {
            name: options.get(name)
            for name in FIELD_NAMES
            if name not in SAVED and options.get(name) is not None
        }
        data_dir, data_path = options.get("data_dir"), options.get("data_path")
        run["data_dir"] = data_dir if data_dir is not None else data_path
        run.setdefault("checkpoint_every", pick(200, 10))
        run.setdefault("sample_every", pick(200, 10))
        for name in ("image_size", "channels", "data_path"):
            run.pop(name, None)
        values.update(run)
        names = {field.name for field in dataclasses.fields(cls)}
        config = cls(
            **{
                name: field_named(name).check(value)
                for name, value in values.items()
                if name in names
            }
        )
        _report_unused(options, config.loss_entry, config.dataset_entry)  # once all is valid
        return config
