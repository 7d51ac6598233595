"""``python -m painopts``."""

from painopts import main

main()
