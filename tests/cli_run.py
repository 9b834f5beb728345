"""Running the command line in-process, as the CLI tests do."""

from wgan_tutorial import cli


def run(argv, capsys):
    """cli.main(argv) -> (exit status, stdout, stderr); argparse errors exit via SystemExit."""
    try:
        status = cli.main(argv)
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err
