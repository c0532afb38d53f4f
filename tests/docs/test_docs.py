"""Docs stay true: config tables are generated from config, and every `ffa …` command shown exists."""

from __future__ import annotations

import re

import click
import pytest
import typer
from typer.testing import CliRunner

from ff_analytics.cli.main import app
from ff_analytics.docs_tables import doc_files, refresh_text, stale_docs
from ff_analytics.settings import PROJECT_ROOT

COMMAND = re.compile(r"(?<![\w-])ffa((?: [a-z][a-z0-9-]*)+)")


def documented_commands() -> dict[tuple[str, ...], str]:
    """Sub-command paths shown in README/docs (words before the first option/placeholder), with one place each."""
    found: dict[tuple[str, ...], str] = {}
    for path in doc_files(PROJECT_ROOT):
        for line_no, line in enumerate(path.read_text().splitlines(), 1):
            for m in COMMAND.finditer(line):
                words = tuple(m.group(1).split())
                found.setdefault(words, f"{path.relative_to(PROJECT_ROOT)}:{line_no}")
    return found


def test_generated_tables_match_config() -> None:
    assert stale_docs(PROJECT_ROOT) == [], "run `uv run ffa docs refresh`"


def test_refresh_fills_a_block_from_config() -> None:
    text = "x\n<!-- generated:freshness -->\nold\n<!-- /generated:freshness -->\n"
    out = refresh_text(text)
    assert "| sheets | 1 | 7 |" in out and "| ktc | 5 | 14 |" in out and "old" not in out


@pytest.mark.parametrize(("words", "where"), sorted(documented_commands().items()))
def test_documented_command_exists(words: tuple[str, ...], where: str) -> None:
    """Walk the command tree: words name sub-commands until a leaf command; any rest are its arguments."""
    command = typer.main.get_command(app)
    path: list[str] = []
    for word in words:
        if not isinstance(command, click.Group):
            break  # a leaf command: the remaining words are its arguments
        sub = command.get_command(click.Context(command), word)
        assert sub is not None, f"{where}: `ffa {' '.join(words)}`: no command {word!r} under `ffa {' '.join(path)}`"
        command, path = sub, [*path, word]
    assert not isinstance(command, click.Group), f"{where}: `ffa {' '.join(words)}` names a group, not a command"
    assert CliRunner().invoke(app, [*path, "--help"]).exit_code == 0
