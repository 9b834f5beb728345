"""What every shipped model folder (`pretrained:NAME`) must hold, for the pretrained tests."""
from wgan_tutorial import pretrained

RUN_FILES = ("config.json", "metrics.csv", "generator.keras", "training_curves.png",
             "command.txt")


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
