"""painopts: compare chronic-pain treatments and check an article's claims against the evidence."""

__version__ = "0.1.0"
