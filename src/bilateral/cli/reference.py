"""The CLI reference (docs/cli.md), written from the commands' real ``--help`` output.

``python -m bilateral.cli.reference > docs/cli.md`` regenerates it; a test fails when the
file and the commands disagree, so the reference cannot drift from the code.
"""

from __future__ import annotations

import os

import click
import typer
from typer.main import get_command
from typer.testing import CliRunner

from bilateral.cli import app

WIDTH = "100"


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and sub-command, in the order ``--help`` lists them."""
    paths: list[tuple[str, ...]] = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        if command is None or command.hidden:
            continue
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


def help_text(application: typer.Typer, path: tuple[str, ...]) -> str:
    """Plain ``--help`` output of one command, at a fixed width and without colour."""
    env = {
        "COLUMNS": WIDTH,
        "TERMINAL_WIDTH": WIDTH,
        "NO_COLOR": "1",
        "_TYPER_FORCE_DISABLE_TERMINAL": "1",
    }
    result = CliRunner().invoke(
        application, [*path, "--help"], env=env, color=False, prog_name="bilateral"
    )
    return "\n".join(line.rstrip() for line in result.stdout.strip().splitlines())


def reference(application: typer.Typer = app) -> str:
    """docs/cli.md: the top-level help, then each command's."""
    sections = [
        "# Command-line reference",
        "",
        "Generated from `--help`: `python -m bilateral.cli.reference > docs/cli.md`.",
        "",
    ]
    sections += ["## bilateral", "", "```text", help_text(application, ()), "```", ""]
    for path in command_paths(get_command(application)):  # type: ignore[arg-type]
        sections += [
            f"## bilateral {' '.join(path)}",
            "",
            "```text",
            help_text(application, path),
            "```",
            "",
        ]
    return "\n".join(sections)


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", WIDTH)
    print(reference(), end="")
