"""Seed-compatible entry point: ``uv run python tools/analyze_snapshot_coverage.py [--sources ...] [--format json]``.

Thin wrapper over ``ffa coverage`` (same options, output and exit codes).
"""

from __future__ import annotations

import sys

from ff_analytics.cli import main as cli_main


def main(argv: list[str] | None = None) -> None:
    """Run ``ffa coverage`` with these arguments; errors print as one line, exit codes as the CLI's."""
    sys.argv = [sys.argv[0], "coverage", *(sys.argv[1:] if argv is None else argv)]
    cli_main.main()


if __name__ == "__main__":
    main()
