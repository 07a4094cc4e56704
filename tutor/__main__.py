"""`python -m tutor` is the `tutor` command, for a Python whose scripts folder is not on PATH."""

from tutor.cli import main

main()
