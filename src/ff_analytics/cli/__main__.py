"""`python -m ff_analytics.cli` runs `ffa` (used where the console script is not on PATH)."""

from ff_analytics.cli.main import main

main()
