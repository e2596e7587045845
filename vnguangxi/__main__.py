"""`python -m vnguangxi`."""

from vnguangxi.entry import main

main()
