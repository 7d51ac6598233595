"""``python -m painopts``."""

from painopts.cli import run

run()
