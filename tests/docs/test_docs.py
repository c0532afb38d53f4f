"""Docs stay true: config tables are generated from config, and every `ffa …` command shown exists."""

from __future__ import annotations

import re

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from ff_analytics.cli.main import app
from ff_analytics.docs_tables import doc_files, refresh_text, stale_docs
from ff_analytics.settings import PROJECT_ROOT

COMMAND = re.compile(r"(?<![\w-])ffa((?: [a-z][a-z0-9-]*)+)([^`|#]*)")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def documented_commands() -> dict[tuple[str, ...], tuple[str, frozenset[str]]]:
    """Sub-command paths shown in README/docs (words before the first option/placeholder), with one place each
    and every --option shown with them anywhere."""
    found: dict[tuple[str, ...], tuple[str, frozenset[str]]] = {}
    for path in doc_files(PROJECT_ROOT):
        for line_no, line in enumerate(path.read_text().splitlines(), 1):
            for m in COMMAND.finditer(line):
                words = tuple(m.group(1).split())
                options = frozenset(OPTION.findall(m.group(2)))
                where, known = found.get(words, (f"{path.relative_to(PROJECT_ROOT)}:{line_no}", frozenset()))
                found[words] = (where, known | options)
    return found


def test_generated_tables_match_config() -> None:
    assert stale_docs(PROJECT_ROOT) == [], "run `uv run ffa docs refresh`"


def test_refresh_fills_a_block_from_config() -> None:
    text = "x\n<!-- generated:freshness -->\nold\n<!-- /generated:freshness -->\n"
    out = refresh_text(text)
    assert "| sheets | 1 | 7 |" in out and "| ktc | 5 | 14 |" in out and "old" not in out


@pytest.mark.parametrize(("words", "shown"), sorted(documented_commands().items()))
def test_documented_command_exists(words: tuple[str, ...], shown: tuple[str, frozenset[str]]) -> None:
    """Walk the command tree: words name sub-commands until a leaf command; any rest are its arguments. Every
    option the docs show with the command must be one of its options."""
    where, options = shown
    command = typer.main.get_command(app)
    path: list[str] = []
    for word in words:
        if not isinstance(command, TyperGroup):
            break  # a leaf command: the remaining words are its arguments
        sub = command.get_command(command.context_class(command), word)
        assert sub is not None, f"{where}: `ffa {' '.join(words)}`: no command {word!r} under `ffa {' '.join(path)}`"
        command, path = sub, [*path, word]
    assert not isinstance(command, TyperGroup), f"{where}: `ffa {' '.join(words)}` names a group, not a command"
    assert CliRunner().invoke(app, [*path, "--help"]).exit_code == 0
    accepted = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}
    assert options <= accepted, f"{where}: `ffa {' '.join(path)}` has no option(s) {sorted(options - accepted)}"
