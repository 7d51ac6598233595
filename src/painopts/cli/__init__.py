"""The painopts command line, the only package that imports ``typer``.

``commands`` defines the app and its commands, ``session`` what they share (settings, loading,
emitting a document), ``run`` the entry point that maps every outcome to an exit code.
"""

from painopts.cli.commands import app
from painopts.cli.run import main_exit_code

__all__ = ["app", "main_exit_code"]
