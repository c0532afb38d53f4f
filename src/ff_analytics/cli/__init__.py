"""The `ffa` command line."""
