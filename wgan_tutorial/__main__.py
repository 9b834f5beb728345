"""`python -m wgan_tutorial ...`: the same as the `wgan-tutorial` command."""

from wgan_tutorial.cli import main

raise SystemExit(main())
