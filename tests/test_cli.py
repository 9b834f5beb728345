"""The command line's frame: help, `data`, and one-line errors with exit status 2."""

import subprocess
import sys

import pytest

from wgan_tutorial import cli


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    assert "data" in capsys.readouterr().out


def test_data_command_reports_the_subset_in_fast_mode(capsys):
    assert cli.main(["data"]) == 0
    out = capsys.readouterr().out
    assert "shipped subset" in out
    assert "train: 8000 digits" in out and "test: 2000 digits" in out


def test_missing_data_path_is_one_line_and_exit_2(capsys, tmp_path):
    assert cli.main(["data", "--path", str(tmp_path / "missing.npz")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "does not exist" in err


def test_unknown_option_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["data", "--no-such-option"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "wgan_tutorial", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("wgan-tutorial ")


def test_fid_names_its_reference_its_size_and_what_to_expect_on_the_subset(capsys, tmp_path):
    import numpy as np

    from wgan_tutorial.data import load_mnist

    fake = tmp_path / "fake.npy"
    np.save(fake, load_mnist("train", verbose=False)[0][:300])
    assert cli.main(["fid", "--fake", str(fake)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("reference:"))
    # the shipped subset's test split holds 2,000 digits (tests/test_cli.py's data test)
    assert "MNIST test split, 2,000 digits (the shipped subset" in line
    assert "compare with the floor below, taken at the same N" in line


def test_fid_report_writes_the_home_folder_as_a_tilde(monkeypatch, tmp_path):
    from wgan_tutorial.cli.scoring_commands import shown

    monkeypatch.setenv("HOME", str(tmp_path / "someone"))
    assert shown(tmp_path / "someone" / "runs" / "samples.npy") == "~/runs/samples.npy"
    assert shown(tmp_path / "someone-else" / "a.npy") == str(tmp_path / "someone-else" / "a.npy")
    assert shown("samples.npy") == "samples.npy"
