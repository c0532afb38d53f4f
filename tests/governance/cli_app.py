"""The governance commands on their own Typer app (the full `ffa` app imports every team's modules)."""

from __future__ import annotations

import typer

from ff_analytics.governance.cli import register


def governance_app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    register(app)
    return app
