"""painopts: compare chronic-pain treatments and check an article's claims against the evidence."""

__version__ = "0.1.0"


def main() -> None:
    """Console-script entry point: Ctrl-C even while painopts is still starting ends cleanly."""
    import gc
    import sys

    # Start-up makes many long-lived objects and little garbage: the cyclic collector would
    # only walk the libraries' objects again and again. It is paused until the knowledge base
    # has loaded (see painopts.cli.resume_collector).
    gc.disable()
    try:
        from painopts.cli import main_exit_code
    except KeyboardInterrupt:
        sys.stderr.write("painopts: error: interrupted\n")
        sys.exit(130)
    sys.exit(main_exit_code())
