"""The options of a training run: one `Field` each, from which everything else follows.

Each entry of `FIELDS` says how one option of `training.train` is given and checked (its
kind and range), what it means (its help, which ends with the tuned presets that set it),
how the command line spells it, whether it defines the run (saved in `config.json`), and
which runs use it. `run_config.RunConfig` resolves options against these fields, and
`wgan-tutorial train`'s options are generated from them, so adding an option starts here.

Taught in notebooks/03_wgan_gp_mnist.ipynb.
"""

from typing import NamedTuple

from wgan_tutorial import data, defaults, losses
from wgan_tutorial.config import check_fraction, check_number


class Field(NamedTuple):
    """How one option is given and checked.

    kind: "int" or "float" (with `minimum`, `inclusive`), "fraction" (in [0, 1)), "choice"
    (one of `choices`), "flag" (True when given), "text" (a path or a name), "devices" (an
    integer >= 1 or "all"). `saved` marks
    the options that define a run (kept in `config.json` and compared on resume); `flags` are
    the command line's spellings (the first is the readable one, the others aliases of the
    popular WGAN_TensorFlow `train.py`); `cli` False keeps an option to the Python API;
    `group` puts options in one mutually exclusive command-line group; `used`, a predicate of
    (loss entry, data set entry), says which runs use the option (None: every run), so one
    given where it does nothing is reported rather than silently ignored.
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
    used: object = None

    def check(self, value):
        """`value` checked against this field's kind and range (ValueError naming it)."""
        if value is None or self.kind in ("text", "flag"):
            return value
        if self.kind == "fraction":
            return check_fraction(value, self.name)
        if self.kind == "devices":
            if value == "all":
                return value
            return check_number(value, self.name, 1, integer=True)
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


def on_images(loss, dataset):
    """`Field.used` of options that only image data sets use."""
    return dataset.kind == "images"


def on_points(loss, dataset):
    """`Field.used` of options that only the 2-D toy sets use."""
    return dataset.kind == "points"


def with_penalty(loss, dataset):
    """`Field.used` of options that only the penalised losses use."""
    return loss.penalised


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
    _field(
        "depth",
        "int",
        "toy MLP hidden layers",
        minimum=1,
        saved=True,
        used=on_points,
    ),
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
        used=lambda loss, dataset: loss.optimizer == "adam",
    ),
    _field(
        "clip_value",
        "float",
        f"clipping constant c (clip; default {defaults.CLIP_VALUE:g})",
        minimum=0,
        inclusive=False,
        saved=True,
        flags=("--n-clip", "--n_clip"),
        used=lambda loss, dataset: loss.after_critic_update is losses.clip_after_update,
    ),
    _field(
        "gp_weight",
        "float",
        f"penalty weight lambda (default {defaults.GP_WEIGHT:g})",
        saved=True,
        used=with_penalty,
    ),
    _field(
        "one_sided",
        "flag",
        "one-sided penalty (Gulrajani et al. 2017, Appendix C)",
        saved=True,
        cli=False,
        used=with_penalty,
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
        used=on_images,
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
        used=on_images,
    ),
    _field(
        "channels",
        "choice",
        "1 (greyscale) or 3 (colour) (default: the data set's; folder 3)",
        choices=data.CHANNELS,
        used=on_images,
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
        "preset",
        "choice",
        "the tuned values a new run starts from: cpu (default; the presets measured on a "
        "2-core CPU) or gpu (the papers' values with their width 64: batch 64, n_critic 5, "
        "one learning rate)",
        choices=defaults.HARDWARE_PRESETS,
    ),
    _field(
        "devices",
        "devices",
        "train data parallel on this many devices (tf.distribute.MirroredStrategy): GPUs, or "
        "logical CPU devices where there is no GPU; 'all': every GPU. The batch is split "
        "across them (batch_size must be a multiple); default 1",
    ),
    _field(
        "jit_compile",
        "flag",
        "compile the training step with XLA; TensorFlow's op determinism, which XLA does not "
        "support, is then off, so a seeded run repeats only to float rounding (off by default)",
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


def field_named(name):
    """The `Field` called `name`."""
    return FIELDS[FIELD_NAMES.index(name)]
