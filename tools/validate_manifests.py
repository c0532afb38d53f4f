"""Seed-compatible entry point: ``uv run python tools/validate_manifests.py --sources nflverse sheets --fail-on-gaps``.

Thin wrapper over ``ffa validate`` (same options, output and exit codes).
"""

from __future__ import annotations

import sys

from ff_analytics.cli import main as cli_main


def main(argv: list[str] | None = None) -> None:
    """Run ``ffa validate`` with these arguments; errors print as one line, exit codes as the CLI's."""
    sys.argv = [sys.argv[0], "validate", *(sys.argv[1:] if argv is None else argv)]
    cli_main.main()


if __name__ == "__main__":
    main()
