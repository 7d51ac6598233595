"""Every command, registered on the app in the order help lists them.

`display` holds the commands that show the knowledge file (load, view, emit); `files` those
about files of their own (check an article, validate, new, schema).
"""

from painopts.cli import display, files
from painopts.cli.app import APP_SETTINGS, app

__all__ = ["APP_SETTINGS", "app", "display", "files"]
