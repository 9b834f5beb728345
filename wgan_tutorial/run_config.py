"""One resolved run configuration: every choice of a training run, made once at the boundary.

`RunConfig.resolve(**options)` turns what a user asked for (keyword arguments of
`training.train`, or the command line's options, which are generated from `FIELDS`) and a
saved run's `config.json` into one frozen object: aliases resolved, the `data.Dataset` and
`losses.Loss` registry entries attached, the image shape fixed, the papers' values and the
tuned presets of `defaults.PRESETS` applied, every value checked once. Below it, objects
travel (`config.dataset_entry`, `config.loss_entry`, `config.image_shape`), not names to be
looked up again.

Adding an option is one entry of `FIELDS` (its help, its kind and range, its spellings)
plus its use and its test: the command line, the checks and `config.json` follow.

Taught in notebooks/03_wgan_gp_mnist.ipynb.
"""

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any, NamedTuple

from wgan_tutorial import data, defaults, losses
from wgan_tutorial.config import check_fraction, check_number, pick


class Field(NamedTuple):
    """How one option is given and checked.

    kind: "int" or "float" (with `minimum`, `inclusive`), "fraction" (in [0, 1)), "choice"
    (one of `choices`), "flag" (True when given), "text" (a path or a name). `saved` marks
    the options that define a run (kept in `config.json` and compared on resume); `flags` are
    the command line's spellings (the first is the readable one, the others aliases of the
    popular WGAN_TensorFlow `train.py`); `cli` False keeps an option to the Python API;
    `group` puts options in one mutually exclusive command-line group.
    """

    name: str
    kind: str
    help: str
    minimum: float = 0
    inclusive: bool = True
    choices: tuple = ()
    saved: bool = False
    flags: tuple = ()
    cli: bool = True
    group: str = ""

    def check(self, value):
        """`value` checked against this field's kind and range (ValueError naming it)."""
        if value is None or self.kind in ("text", "flag"):
            return value
        if self.kind == "fraction":
            return check_fraction(value, self.name)
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"{self.name} must be one of {self.choices}, got {value!r}")
            return value
        return check_number(
            value, self.name, self.minimum, self.inclusive, integer=self.kind == "int"
        )


def _field(name, kind, help, **spec):
    """A `Field` whose help ends with the tuned presets that set it (from `defaults.PRESETS`)."""
    tuned = [
        f"{preset.name}: {_shown(preset.values[name])}"
        for preset in defaults.PRESETS
        if name in preset.values
    ]
    if tuned:
        help = f"{help}; tuned presets: {'; '.join(tuned)}"
    return Field(name, kind, help, **spec)


def _shown(value):
    return value() if callable(value) else value


LOSS_HELP = "; ".join(f"{name}: {entry.description}" for name, entry in losses.LOSSES.items())

# The order of the saved fields is the order of `config.json`.
FIELDS = (
    _field(
        "loss",
        "choice",
        f"the objective (default gp). {LOSS_HELP}",
        choices=tuple(losses.LOSSES),
        saved=True,
    ),
    _field(
        "dataset",
        "choice",
        "default mnist; cifar-10 (alias cifar10), fashion-mnist, "
        "folder (needs --data-dir) or a toy set",
        choices=data.DATASET_NAMES,
        saved=True,
    ),
    _field(
        "noise_dim",
        "int",
        f"latent size (default {defaults.NOISE_DIM})",
        minimum=1,
        saved=True,
        flags=("--noise_dim",),
    ),
    _field(
        "width",
        "int",
        f"image model width, or toy MLP units (default {defaults.MNIST_WIDTH})",
        minimum=1,
        saved=True,
    ),
    _field("depth", "int", "toy MLP hidden layers", minimum=1, saved=True),
    _field(
        "n_critic",
        "int",
        f"critic updates per generator update (default: the loss's "
        f"paper value, {defaults.N_CRITIC}; gan 1)",
        minimum=1,
        saved=True,
        flags=("--n_update_dis",),
    ),
    _field(
        "batch_size",
        "int",
        f"real images per critic update (default {defaults.PAPER_BATCH_SIZE})",
        minimum=1,
        saved=True,
        flags=("--batch_size",),
    ),
    _field(
        "learning_rate",
        "float",
        "the generator's (the critic's is --critic-lr-scale times "
        "it); default: the loss's paper rate ("
        + ", ".join(f"{name} {rate:g}" for name, rate in defaults.PAPER_LEARNING_RATES.items())
        + ")",
        minimum=0,
        inclusive=False,
        saved=True,
        flags=("--learning_rate",),
    ),
    _field(
        "beta_1",
        "fraction",
        f"Adam's beta_1 (all but clip), in [0, 1) (default "
        f"{defaults.BETA_1:g}; the paper's 0 also works)",
        saved=True,
    ),
    _field(
        "clip_value",
        "float",
        f"clipping constant c (clip; default {defaults.CLIP_VALUE:g})",
        minimum=0,
        inclusive=False,
        saved=True,
        flags=("--n-clip", "--n_clip"),
    ),
    _field(
        "gp_weight", "float", f"penalty weight lambda (default {defaults.GP_WEIGHT:g})", saved=True
    ),
    _field(
        "one_sided",
        "flag",
        "one-sided penalty (Gulrajani et al. 2017, Appendix C)",
        saved=True,
        cli=False,
    ),
    _field("seed", "int", "weights, noise and data order (default 0)", saved=True),
    _field(
        "ema",
        "fraction",
        "decay of the moving average of the generator's weights that "
        "samples are drawn from, in [0, 1); 0 = none (default 0)",
        saved=True,
    ),
    _field(
        "critic_lr_scale",
        "float",
        "the critic's learning rate divided by the generator's "
        "(the two time-scale update rule, Heusel et al. 2017; default 1)",
        minimum=0,
        inclusive=False,
        saved=True,
    ),
    _field(
        "critic_lr_fade",
        "int",
        "critic updates over which --critic-lr-scale falls linearly to 1; 0: it stays (default 0)",
        saved=True,
    ),
    _field(
        "generator_norm",
        "choice",
        "batch norm in the image generator's hidden layers, or none (default none)",
        choices=defaults.GENERATOR_NORMS,
        saved=True,
    ),
    _field("image_shape", "text", "(H, W, C) trained at", saved=True, cli=False),
    _field(
        "max_images",
        "int",
        "train on a random (seeded) subset of this many images (the CelebA WGAN uses 3000)",
        minimum=1,
        saved=True,
    ),
    _field(
        "conditional",
        "flag",
        "class-conditional WGAN: generator (z, label), projection "
        "critic, penalty with the label held fixed; needs a data set with classes (sample "
        "with --label)",
        saved=True,
    ),
    _field(
        "image_size",
        "choice",
        "train at this many pixels square (default: the data set's; folder 64)",
        choices=data.IMAGE_SIZES,
    ),
    _field(
        "channels",
        "choice",
        "1 (greyscale) or 3 (colour) (default: the data set's; folder 3)",
        choices=data.CHANNELS,
    ),
    _field(
        "data_dir",
        "text",
        "where the data set is: a folder of images (folder), the "
        "CIFAR-10 binary .tar.gz or folder, the Fashion-MNIST folder, an MNIST file",
    ),
    _field(
        "data_path",
        "text",
        "an MNIST file (keras .npz or mnist.pkl.gz), the same as "
        "--data-dir for MNIST; default: the usual sources",
    ),
    _field(
        "steps",
        "int",
        "target generator step, counted across resumed runs (default 1000; "
        "unlimited when only --max-seconds is given)",
        minimum=1,
        group="length",
    ),
    _field(
        "epochs",
        "float",
        "instead of --steps: passes over the training data",
        minimum=0,
        inclusive=False,
        group="length",
        flags=("--n_epoch",),
    ),
    _field(
        "max_seconds",
        "float",
        "stop cleanly, saving everything, after this wall time",
        minimum=0,
        inclusive=False,
    ),
    _field(
        "save_dir",
        "text",
        "run folder: config.json, metrics.csv, checkpoints/, "
        "generator.keras (an existing one is continued)",
        flags=("--save_dir",),
    ),
    _field(
        "samples_dir", "text", "folder for sample grids (step_NNNNNN.png)", flags=("--samples_dir",)
    ),
    _field("checkpoint_every", "int", "steps between checkpoints (default 200)", minimum=1),
    _field("sample_every", "int", "steps between sample grids (default 200)", minimum=1),
    _field(
        "keep_checkpoints",
        "int",
        "how many of the latest checkpoints to keep (default 3)",
        minimum=1,
    ),
    _field(
        "progress",
        "flag",
        "show a progress bar (the command line's --no-progress hides it)",
        cli=False,
    ),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
SAVED = tuple(field.name for field in FIELDS if field.saved)
UNLIMITED_STEPS = 10**9  # the step target of a run bounded by max_seconds only


def field_named(name):
    """The `Field` called `name`."""
    return FIELDS[FIELD_NAMES.index(name)]


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


def default_values(loss="gp", dataset="mnist", conditional=False):
    """The saved fields a new run takes when none is given: the papers' values, then every
    preset of `defaults.PRESETS` that applies, in order.

    Args:
        loss: a name or entry of `losses.LOSSES`. dataset: a name or entry of `data.DATASETS`.
        conditional: the defaults of a class-conditional run.

    Returns:
        dict field -> value (the keys `SAVED`, in their order).
    """
    loss = loss if isinstance(loss, losses.Loss) else losses.get_loss(loss)
    dataset = data.get_dataset(dataset)
    values = paper_values(loss, dataset, conditional)
    for preset in defaults.PRESETS:
        if preset.applies(loss, dataset, bool(conditional)):
            values.update(
                {key: value() if callable(value) else value for key, value in preset.values.items()}
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
        return cls(
            **{
                name: field_named(name).check(value)
                for name, value in values.items()
                if name in names
            }
        )
