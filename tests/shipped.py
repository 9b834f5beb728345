"""What every shipped model folder (`pretrained:NAME`) must hold, for the pretrained tests."""

import shlex

from wgan_tutorial import cli, config, pretrained, training

RUN_FILES = ("config.json", "metrics.csv", "generator.keras", "training_curves.png", "command.txt")


def assert_trimmed_run_folder(name):
    """NAME is listed; its folder holds the run's files and exactly one checkpoint, the one
    its `checkpoint` state file lists (a trimmed run folder that `load_wgan` resumes)."""
    folder = pretrained.pretrained_dir() / name
    assert name in pretrained.list_pretrained()
    for file in RUN_FILES:
        assert (folder / file).is_file(), file
    indexes = list((folder / "checkpoints").glob("ckpt-*.index"))
    assert len(indexes) == 1, indexes
    state = (folder / "checkpoints" / "checkpoint").read_text()
    assert state.count("all_model_checkpoint_paths") == 1
    assert indexes[0].name.removesuffix(".index") in state


def assert_recorded_command_gives_the_shipped_config(name, monkeypatch):
    """The first `$ wgan-tutorial train` line of NAME's command.txt, run with today's
    defaults, trains with the hyper-parameters of its config.json (the defaults have changed
    since some models were trained, so a command must spell out what differs)."""
    folder = pretrained.pretrained_dir() / name
    lines = (folder / "command.txt").read_text().splitlines()
    command = next(line for line in lines if line.startswith("$ wgan-tutorial train "))
    args = cli.build_parser().parse_args(shlex.split(command)[2:])
    monkeypatch.setenv(config.FAST_ENV, "0")  # the shipped models are full runs (width 16)
    expected = training.default_config(
        args.loss or "gp", args.dataset or "mnist", bool(args.conditional)
    )
    expected.update(
        {key: getattr(args, key) for key in expected if getattr(args, key, None) is not None}
    )
    shipped = training.read_config(folder)
    if expected["critic_lr_scale"] == 1.0:  # one rate: nothing for critic_lr_fade to fade
        expected["critic_lr_fade"] = shipped["critic_lr_fade"]
    keys = training.CONFIG_KEYS + (
        "critic_lr_scale",
        "critic_lr_fade",
        "conditional",
        "image_shape",
        "max_images",
        "generator_norm",
    )
    assert {key: shipped[key] for key in keys} == {key: expected[key] for key in keys}
