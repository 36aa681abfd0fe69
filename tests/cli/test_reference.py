"""docs/cli.md is the commands' own --help output: a new or changed option fails here."""

from __future__ import annotations

from pathlib import Path

from bilateral.cli.reference import reference

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_matches_the_commands():
    assert DOCS.read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is out of date: python -m bilateral.cli.reference > docs/cli.md"
    )


def test_every_command_is_in_the_readme():
    readme = (DOCS.parents[1] / "README.md").read_text(encoding="utf-8")
    for line in reference().splitlines():
        if line.startswith("## bilateral "):
            command = line.removeprefix("## ").split()[1]
            assert f"bilateral {command}" in readme or f"--store ~/trade {command}" in readme, (
                command
            )
