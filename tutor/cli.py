"""The `tutor` command. Each command imports what it needs when it runs, so `tutor grade` never
pays for Textual and `tutor --help` pays for nothing."""

import sys

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="backprop-tutor", prog_name="tutor")
def cli() -> None:
    """backprop-tutor: learn backpropagation by filling in the blanks (밑바닥부터 시작하는 딥러닝 1, 5장)."""


def main() -> None:
    sys.exit(cli.main(standalone_mode=True))
