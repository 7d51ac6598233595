"""painopts: compare chronic-pain treatments and check an article's claims against the evidence."""

__version__ = "0.1.0"


def main() -> None:
    """Console-script entry point: Ctrl-C even while painopts is still starting ends cleanly."""
    import sys

    try:
        from painopts.cli import main_exit_code
    except KeyboardInterrupt:
        sys.stderr.write("painopts: error: interrupted\n")
        sys.exit(130)
    sys.exit(main_exit_code())
