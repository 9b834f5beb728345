"""The package's shape, as ARCHITECTURE.md describes it: small modules, dependencies that
point down, no private name used outside its module, one configuration behind the CLI."""

import ast
from pathlib import Path

import pytest

import wgan_tutorial

PACKAGE = Path(wgan_tutorial.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 500
# Course-only code: figures, explorers, the sweep and the course's experiments. The library
# (everything else) never imports it; the command line may (its `sweep` command does).
COURSE = ("wgan_tutorial.course", "wgan_tutorial.plotting", "wgan_tutorial.widgets")
MAY_IMPORT_COURSE = (
    "wgan_tutorial.cli",
    "wgan_tutorial.course",
    "wgan_tutorial.plotting",
    "wgan_tutorial.widgets",
    "wgan_tutorial.toy1d",
    "wgan_tutorial.step_checker",
    "wgan_tutorial.augmentation",
    "wgan_tutorial.sonify",
)


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree):
    """(module imported, names taken from it) for every import of the package in `tree`."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("wgan_tutorial")
        ):
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("wgan_tutorial"):
                    yield alias.name, []


def test_every_module_is_under_500_lines():
    long = {
        module_name(path): n
        for path in MODULES
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_library_never_imports_figures_or_widgets():
    offenders = []
    for path in MODULES:
        name = module_name(path)
        if name.startswith(MAY_IMPORT_COURSE):
            continue
        for module, names in imported_modules(ast.parse(path.read_text())):
            targets = [module] + [f"{module}.{n}" for n in names]
            if any(target.startswith(COURSE) for target in targets):
                offenders.append(f"{name} imports {module}")
    assert offenders == []


def test_no_private_name_is_used_outside_its_module():
    offenders = []
    for path in MODULES:
        name = module_name(path)
        tree = ast.parse(path.read_text())
        aliases = {}
        for module, names in imported_modules(tree):
            offenders += [
                f"{name}: from {module} import {n}"
                for n in names
                if n.startswith("_") and n != "__version__"
            ]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "wgan_tutorial":
                aliases.update({(a.asname or a.name): a.name for a in node.names})
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                offenders.append(f"{name}: {node.value.id}.{node.attr}")
    assert offenders == []


def test_every_training_option_is_a_command_line_option_generated_from_its_field():
    from wgan_tutorial import cli
    from wgan_tutorial.run_config import FIELDS

    parser = cli.build_parser("train")
    train = next(
        action
        for action in parser._subparsers._group_actions[0].choices.values()
        if action.prog.endswith(" train")
    )
    destinations = {action.dest for action in train._actions}
    for field in FIELDS:
        assert (field.name in destinations) == field.cli or field.name == "progress", field.name


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"n_critic": 0}, "n_critic must be an integer >= 1, got 0"),
        ({"gp_weight": -1.0}, "gp_weight must be a number >= 0, got -1.0"),
        ({"ema": 1.0}, "ema must be a number in [0, 1)"),
        ({"generator_norm": "layer"}, "generator_norm must be one of ('none', 'batch')"),
        ({"loss": "hinge"}, "loss must be one of"),
        ({"image_size": 48}, "image_size must be one of (28, 32, 64), got 48"),
        ({"steps": 3, "epochs": 1.0}, "give steps or epochs, not both"),
    ],
)
def test_a_bad_option_is_refused_once_at_the_boundary_naming_it(bad, message):
    from wgan_tutorial.run_config import RunConfig

    with pytest.raises(ValueError) as error:
        RunConfig.resolve(**bad)
    assert message in str(error.value)


def test_the_defaults_are_the_papers_values_with_the_presets_that_apply():
    from wgan_tutorial import defaults
    from wgan_tutorial.run_config import default_values

    clip = default_values("clip", "mnist")  # no preset: Arjovsky et al., Algorithm 1
    assert (clip["learning_rate"], clip["n_critic"], clip["batch_size"], clip["clip_value"]) == (
        5e-5,
        5,
        64,
        0.01,
    )
    gp_colour = default_values("gp", "cifar-10")  # the image preset, not MNIST's
    assert (gp_colour["batch_size"], gp_colour["n_critic"], gp_colour["learning_rate"]) == (
        defaults.GP_MNIST_BATCH_SIZE,
        defaults.N_CRITIC,
        defaults.GP_IMAGE_LEARNING_RATE,
    )
    gp = default_values("gp", "mnist")  # all three image presets
    assert (gp["n_critic"], gp["generator_norm"], gp["learning_rate"]) == (
        defaults.GP_MNIST_N_CRITIC,
        "batch",
        defaults.GP_MNIST_LEARNING_RATE,
    )
    assert default_values("gp", "mnist", conditional=True)["generator_norm"] == "none"
    assert {preset.record for preset in defaults.PRESETS} <= set(results_sections())


def results_sections():
    record = PACKAGE.parent / "benchmarks" / "RESULTS.md"
    if not record.is_file():
        pytest.skip("benchmarks/RESULTS.md is not in this checkout (an installed package)")
    return [line[3:].strip() for line in record.read_text().splitlines() if line.startswith("## ")]


@pytest.mark.parametrize(
    "options, unused",
    [
        ({"loss": "clip", "gp_weight": 5.0}, "gp_weight=5.0"),  # clipping has no penalty
        ({"loss": "clip", "beta_1": 0.0}, "beta_1=0.0"),  # RMSProp has no beta_1
        ({"loss": "gp", "clip_value": 0.1}, "clip_value=0.1"),  # the penalty clips nothing
        ({"depth": 2}, "depth=2"),  # MNIST's models are convolutional
        ({"dataset": "8gaussians", "max_images": 5}, "max_images=5"),  # toys are sampled
    ],
)
def test_an_option_the_run_does_not_use_is_reported_not_silently_ignored(options, unused, caplog):
    from wgan_tutorial.run_config import RunConfig

    with caplog.at_level("WARNING", logger="wgan_tutorial"):
        RunConfig.resolve(**options)
    assert [r.getMessage() for r in caplog.records if unused in r.getMessage()], caplog.text


def test_options_the_run_uses_are_not_reported(caplog):
    from wgan_tutorial.run_config import RunConfig

    with caplog.at_level("WARNING", logger="wgan_tutorial"):
        RunConfig.resolve(loss="gp", gp_weight=5.0, beta_1=0.0, max_images=100)
        RunConfig.resolve(loss="clip", clip_value=0.02, dataset="8gaussians", depth=2)
    assert caplog.records == []
