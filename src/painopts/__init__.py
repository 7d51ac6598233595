"""painopts: compare chronic-pain treatments and check an article's claims against the evidence."""

__version__ = "0.1.0"


def main() -> None:
    """Console-script entry point: Ctrl-C even while painopts is still starting ends cleanly."""
    import gc
    import sys

    # Start-up makes many long-lived objects and little garbage: the cyclic collector would
    # only walk the libraries' objects again and again. It is paused until the knowledge base
    # has loaded (end_of_start_up, below).
    gc.disable()
    try:
        from painopts.cli import main_exit_code
    except KeyboardInterrupt:
        sys.stderr.write("painopts: error: interrupted\n")
        sys.exit(130)
    sys.exit(main_exit_code())


def end_of_start_up() -> None:
    """If ``main`` paused the cyclic collector, freeze what exists and resume it.

    The CLI calls this once the knowledge base has loaded. Everything made so far lives until
    the command ends, so frozen it is never walked again (nor at exit), and the collector runs
    as usual for the command's own work.
    """
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()
