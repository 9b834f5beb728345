"""A fuzz harness for the command line (issue #31): every subcommand x every option x a bank
of bad values and bad files.

The options are enumerated from `cli.build_parser(name)`, so a new option is covered (or, for a
path option, must be given a role in `PATH_ROLES`, which a test checks). Every case must end in
exit status 2 with exactly one stderr line naming the option or the file, no traceback, no
file or folder left behind and no existing file changed.

Values an option's own type function accepts are not bad for it and are skipped; every option
with a type must reject NaN, infinities, the empty string and words.
"""

import argparse
import hashlib
import io
import shutil
import tarfile
import zipfile

import numpy as np
import pytest

from tests.cli_run import run
from wgan_tutorial import cli, pretrained

BAD_VALUES = ["-1", "0", "1e400", "-1e400", "nan", "inf", "-inf", "", "abc", "1.5", "0x10", "1,"]
MUST_REJECT = ["nan", "inf", "-inf", "", "abc", "1e400"]


def subparser(name):
    """The argparse parser of subcommand `name`, with its options declared."""
    parser = cli.build_parser(name)
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return commands.choices[name]


def options(name):
    """The store actions of a subcommand (no --help, no flags)."""
    return [
        action
        for action in subparser(name)._actions
        if action.option_strings and action.nargs is None and action.dest != "help"
    ]


def typed_cases():
    """(command, flag, value) for every typed or choice option x every bad value it refuses."""
    cases = []
    for name in cli.COMMANDS:
        for action in options(name):
            if action.type is None and action.choices is None:
                continue  # a path: see PATH_CASES
            for value in BAD_VALUES:
                if accepts(action, value):
                    continue
                cases.append(
                    pytest.param(
                        name,
                        action.option_strings[0],
                        value,
                        id=f"{name} {action.option_strings[0]}={value}",
                    )
                )
    return cases


def accepts(action, value):
    """Whether the option's own type (and choices) accept `value`."""
    try:
        converted = action.type(value) if callable(action.type) else value
    except (argparse.ArgumentTypeError, ValueError, TypeError):
        return False
    return action.choices is None or converted in action.choices


def tree(root):
    """{relative path: sha256 or 'dir'} of everything under `root`."""
    return {
        str(path.relative_to(root)): (
            "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        )
        for path in sorted(root.rglob("*"))
    }


def rejected(argv, capsys, root, *named):
    """Run argv; assert exit 2, one stderr line naming one of `named`, nothing written."""
    before = tree(root)
    status, _, stderr = run(argv, capsys)
    lines = stderr.strip().splitlines()
    assert status == 2, (argv, status, stderr)
    assert len(lines) == 1 and "Traceback" not in stderr, (argv, stderr)
    assert not named or any(str(word) in lines[0] for word in named), (argv, named, stderr)
    assert tree(root) == before, (argv, "files were written or changed")
    return lines[0]


TYPED_CASES = typed_cases()


@pytest.mark.parametrize(("command", "flag", "value"), TYPED_CASES)
def test_bad_typed_values_are_one_line_naming_the_option(
    command, flag, value, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    rejected([command, f"{flag}={value}"], capsys, tmp_path, flag)


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_every_typed_option_rejects_nan_inf_and_words(command):
    for action in options(command):
        if action.type is None and action.choices is None:
            continue
        for value in MUST_REJECT:
            assert not accepts(action, value), (command, action.option_strings[0], value)


# --- paths ------------------------------------------------------------------------------------
# The role of every option that takes a path (or a word that names a source).
PATH_ROLES = {
    ("data", "data_dir"): "data-dir",
    ("train-classifier", "data_path"): "mnist",
    ("train-classifier", "out"): "out-folder",
    ("fid", "fake"): "npy",
    ("fid", "real"): "npy",
    ("fid", "data_path"): "mnist",
    ("fid", "data_dir"): "data-dir",
    ("train", "data_dir"): "data-dir",
    ("train", "data_path"): "mnist",
    ("train", "save_dir"): "out-folder",
    ("train", "samples_dir"): "out-folder",
    ("sample", "model"): "model",
    ("sample", "out"): "out-file",
    ("sample", "sonify"): "out-file",
    ("sweep", "data_path"): "mnist",
    ("sweep", "out"): "out-folder",
}


def test_every_path_option_has_a_role():
    untyped = {
        (name, action.dest)
        for name in cli.COMMANDS
        for action in options(name)
        if action.type is None and action.choices is None
    }
    assert untyped == set(PATH_ROLES)


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    """A folder of bad inputs of every kind the commands read (made once, never changed)."""
    root = tmp_path_factory.mktemp("bank")
    generator = (pretrained.pretrained_dir() / "wgan-gp-mnist" / "generator.keras").read_bytes()
    buffer = io.BytesIO()
    np.savez(buffer, x_train=np.zeros((4, 28, 28), np.uint8))
    npz = buffer.getvalue()
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((4, 28, 28), np.uint8))
    npy = buffer.getvalue()
    files = {
        "empty.npy": b"",
        "empty.npz": b"",
        "empty.keras": b"",
        "garbage.npy": b"not a numpy file" * 8,
        "garbage.npz": b"not a zip archive" * 8,
        "garbage.keras": b"not a zip archive" * 8,
        "garbage.png": b"not a png" * 8,
        "garbage.tar.gz": b"not a tar file" * 8,
        "truncated.npy": npy[: len(npy) // 2],
        "truncated.npz": npz[: len(npz) // 2],
        "truncated.keras": generator[:300],
        "incomplete.npz": npz,  # keras layout without x_test, y_train, y_test
        "text.txt": b"hello\n",
    }
    for name, content in files.items():
        (root / name).write_bytes(content)
    np.save(root / "pickled.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.save(root / "vector.npy", np.arange(10, dtype=np.uint8))
    np.save(root / "strings.npy", np.array(["a", "b"]))
    np.save(root / "nan.npy", np.full((4, 28, 28), np.nan, np.float32))
    np.save(root / "range.npy", np.full((4, 28, 28), 7.0, np.float32))
    np.save(root / "none.npy", np.zeros((0, 28, 28), np.uint8))
    np.save(root / "one.npy", np.zeros((1, 28, 28), np.uint8))
    with zipfile.ZipFile(root / "foreign.keras", "w") as archive:
        archive.writestr("readme.txt", "a zip, not a model")
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        blob = b"\x03" + bytes(3072)
        info = tarfile.TarInfo("cifar-10-batches-bin/data_batch_1.bin")
        info.size = len(blob) // 2  # a record cut in the middle
        archive.addfile(info, io.BytesIO(blob[: info.size]))
    (root / "truncated.tar.gz").write_bytes(tar.getvalue())
    (root / "cut.tar.gz").write_bytes(tar.getvalue()[:40])
    (root / "cifar").mkdir()
    for index in range(1, 6):
        (root / "cifar" / f"data_batch_{index}.bin").write_bytes(b"\x03" + bytes(100))
    (root / "cifar" / "test_batch.bin").write_bytes(b"\x0c" + bytes(3072))
    (root / "emptydir").mkdir()
    (root / "garbage_images").mkdir()
    for index in range(3):
        (root / "garbage_images" / f"{index}.png").write_bytes(b"not a png")
    (root / "one_image").mkdir()
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(root / "one_image" / "a.png")
    run_dir = root / "damaged_run"
    shutil.copytree(pretrained.pretrained_dir() / "wgan-gp-mnist", run_dir)
    for path in (run_dir / "checkpoints").glob("ckpt-*"):
        path.write_bytes(path.read_bytes()[:50])
    (run_dir / "generator.keras").unlink()
    bare_run = root / "bare_run"
    bare_run.mkdir()
    (bare_run / "generator.keras").write_bytes(generator[:300])
    return root


MISSING = "no_such_file"
# (role, bad input in the bank (or MISSING), extra options the command needs)
BAD_PATHS = {
    "npy": [
        MISSING,
        "emptydir",
        "empty.npy",
        "garbage.npy",
        "truncated.npy",
        "pickled.npy",
        "vector.npy",
        "strings.npy",
        "nan.npy",
        "range.npy",
        "none.npy",
        "garbage.npz",
        "truncated.npz",
        "truncated.keras",
        "text.txt",
    ],
    "mnist": [
        MISSING,
        "emptydir",
        "empty.npz",
        "garbage.npz",
        "truncated.npz",
        "incomplete.npz",
        "garbage.npy",
        "text.txt",
    ],
    "model": [
        MISSING,
        "emptydir",
        "empty.keras",
        "garbage.keras",
        "truncated.keras",
        "foreign.keras",
        "damaged_run",
        "bare_run",
        "text.txt",
        "garbage.npy",
    ],
    "data-dir": [MISSING, "text.txt", "emptydir", "garbage_images", "one_image"],
    "cifar": [MISSING, "text.txt", "garbage.tar.gz", "truncated.tar.gz", "cut.tar.gz", "cifar"],
    "out-folder": ["text.txt", "text.txt/below"],
    "out-file": ["text.txt", "text.txt/below.npy", "emptydir/x.txt"],
}

# the smallest valid command around each option (the option's value is appended)
BASE = {
    "data": "data --dataset folder".split(),
    "train-classifier": "train-classifier --epochs 1 --limit 10".split(),
    "fid": "fid --fake {good_npy}".split(),
    "train": "train --steps 1 --width 4 --batch-size 8 --no-progress".split(),
    "sample": "sample --model pretrained:wgan-gp-mnist --n 2 --out {out}".split(),
    "sweep": "sweep --out {out_dir} --steps 1 --fid-points 0 --gp-weights 1 --n-critics 1".split(),
}


# `data` reports what a folder holds (its count of files) and trains nothing: a folder of
# unreadable files or of one image is a fact to report, not an error
REPORTS_ONLY = {("data", "garbage_images"), ("data", "one_image")}


# bad for this option only (a run folder to resume; other output folders may hold anything)
EXTRA_BAD_PATHS = {("train", "save_dir"): ["damaged_run"]}


def path_cases():
    cases = []
    for (command, dest), role in PATH_ROLES.items():
        flag = next(a for a in options(command) if a.dest == dest).option_strings[0]
        roles = [role]
        if role == "data-dir" and command != "fid":
            roles.append("cifar")
        for kind in roles:
            for bad in BAD_PATHS[kind] + EXTRA_BAD_PATHS.get((command, dest), []):
                if (command, bad) in REPORTS_ONLY:
                    continue
                cases.append(pytest.param(command, flag, kind, bad, id=f"{command} {flag} {bad}"))
    return cases


PATH_CASES = path_cases()


@pytest.mark.parametrize(("command", "flag", "kind", "bad"), PATH_CASES)
def test_bad_paths_are_one_line_naming_the_option_or_file(
    command, flag, kind, bad, bank, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    good = tmp_path / "good.npy"
    np.save(good, np.zeros((4, 28, 28), np.uint8))
    fill = {"good_npy": str(good), "out": str(tmp_path / "o.npy"), "out_dir": str(tmp_path / "sw")}
    argv = [word.format(**fill) for word in BASE[command]]
    # the option under test replaces any value the base gives it
    if flag in argv:
        del argv[argv.index(flag) : argv.index(flag) + 2]
    if kind == "cifar":
        argv = [word for word in argv if word not in ("--dataset", "folder")]
        argv += ["--dataset", "cifar-10"]
    elif kind == "data-dir" and "--dataset" not in argv:
        argv += ["--dataset", "folder"]
    path = tmp_path / MISSING if bad == MISSING else bank / bad
    value = str(path) + ("/" if bad.endswith("/") else "")
    argv += [flag, value]
    named = [flag, bad.rstrip("/").split("/")[0], path.name]
    line = rejected(argv, capsys, bank, *named)
    if bad != MISSING:  # a library's "not found" for a file that is there (issue #31)
        assert "File not found" not in line and "No such file" not in line, line
    assert tree(tmp_path) == {"good.npy": tree(tmp_path)["good.npy"]}, "left behind"


def test_case_counts_are_visible():
    """The harness's size, so a shrinking bank is noticed (printed with -rA or -s)."""
    print(f"typed cases: {len(TYPED_CASES)}, path cases: {len(PATH_CASES)}")
    assert len(TYPED_CASES) > 300 and len(PATH_CASES) > 80


# --- regression tests: the faults the harness found, each as its minimal case ------------------


def test_a_truncated_keras_file_is_called_damaged_not_missing(bank, tmp_path, capsys):
    """Fault: the first 300 bytes of a generator.keras were reported as "unreadable: File not
    found" (Keras's message passed through)."""
    model = bank / "bare_run" / "generator.keras"
    line = rejected(
        ["sample", "--model", str(model), "--out", str(tmp_path / "x.npy")], capsys, tmp_path
    )
    assert f"--model: model file {model} is unreadable: not a readable Keras model file " in line
    assert line.endswith("(truncated or damaged zip archive)")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.keras", "(empty file)"),
        ("garbage.keras", "(not a zip archive)"),
        ("foreign.keras", "(a zip archive without a Keras model: no config.json)"),
    ],
)
def test_damaged_keras_files_say_what_is_wrong(bank, name, reason):
    with pytest.raises(ValueError, match="not a readable Keras model file") as error:
        pretrained.load_generator(bank / name)
    assert str(error.value).endswith(reason)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.npy", "(empty file)"),
        ("garbage.npy", "(no NumPy header)"),
        ("truncated.npy", "(truncated or damaged: "),
        ("pickled.npy", "(it holds pickled Python objects, which are never loaded)"),
        ("garbage.npz", "(no NumPy header)"),
        ("truncated.npz", "(an .npz archive; give a .npy file holding one array)"),
    ],
)
def test_unreadable_npy_files_say_what_is_wrong(bank, name, reason, tmp_path, capsys):
    """Fault: a truncated .npz given as --fake ended in "BadZipFile: File is not a zip file"
    (a traceback before the boundary caught library errors)."""
    line = rejected(["fid", "--fake", str(bank / name)], capsys, tmp_path)
    assert f"--fake {bank / name}: not a readable .npy file {reason}" in line


def test_a_folder_of_unreadable_images_is_one_line_not_a_log_line_and_an_error(bank, capsys):
    """Fault: `fid --dataset folder --data-dir` of unreadable files printed the log line
    "skipped 3 unreadable file(s)" before the error: two lines."""
    good = bank / "one.npy"
    argv = ["fid", "--fake", str(good), "--dataset", "folder"]
    line = rejected(argv + ["--data-dir", str(bank / "garbage_images")], capsys, bank)
    assert "none of its 3 image files could be read" in line


def test_fid_against_a_folder_of_one_image_names_the_folder(bank, capsys):
    """Fault: "real must hold at least 2 images, got 1" named neither option nor folder."""
    argv = ["fid", "--fake", str(bank / "one.npy"), "--dataset", "folder"]
    line = rejected(argv + ["--data-dir", str(bank / "one_image")], capsys, bank)
    assert f"--data-dir {bank / 'one_image'}: 1 readable image(s)" in line


def test_a_rejected_sweep_leaves_no_output_folder(bank, tmp_path, capsys):
    """Fault: `sweep --out NEW --data-path BAD` made NEW and left it behind, empty."""
    argv = ["sweep", "--out", str(tmp_path / "new"), "--steps", "1", "--fid-points", "0"]
    rejected(argv + ["--data-path", str(bank / "garbage.npz")], capsys, tmp_path, "garbage.npz")
    assert not (tmp_path / "new").exists()


def test_an_os_error_no_reader_translated_is_one_line(monkeypatch, tmp_path, capsys):
    """The boundary's last net: an OSError from a library is one line naming the file."""
    from wgan_tutorial.cli import scoring_commands

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "cache.npz"))

    monkeypatch.setattr(scoring_commands, "run_fid_any", full_disk)
    np.save(tmp_path / "f.npy", np.zeros((4, 32, 32), np.uint8))
    status, _, err = run(["fid", "--fake", str(tmp_path / "f.npy")], capsys)
    assert status == 2 and err.strip().splitlines() == [
        f"wgan-tutorial fid: error: {tmp_path / 'cache.npz'}: no space left on device"
    ]


def test_a_rejected_command_keeps_files_in_a_folder_it_did_not_create(tmp_path):
    from wgan_tutorial.cli import boundary

    kept = tmp_path / "kept"
    (kept / "empty").mkdir(parents=True)
    (kept / "a.txt").write_text("x")
    gone = tmp_path / "gone"
    (gone / "checkpoints").mkdir(parents=True)
    boundary.remove_empty([kept, gone, tmp_path / "never"])
    assert (kept / "a.txt").is_file() and not gone.exists()


def test_a_rejected_train_leaves_no_run_folder(bank, tmp_path, capsys):
    """Issue #31: a refused `train` left an empty run folder with a checkpoints/ folder."""
    argv = ["train", "--save-dir", str(tmp_path / "run"), "--dataset", "folder", "--steps", "1"]
    rejected(argv + ["--data-dir", str(bank / "one_image"), "--no-progress"], capsys, tmp_path)
    assert not (tmp_path / "run").exists()


def test_a_rejected_sample_leaves_no_output_folder(bank, tmp_path, capsys):
    """Fault: `sample --out NEW/` made NEW before the model was found unreadable."""
    argv = ["sample", "--model", str(bank / "truncated.keras"), "--out", f"{tmp_path / 'new'}/"]
    rejected(argv, capsys, tmp_path, "--model")
    assert not (tmp_path / "new").exists()
