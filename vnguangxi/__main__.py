"""`python -m vnguangxi`."""

from vnguangxi.cli import main

main()
