"""Local HTTP servers (127.0.0.1 only) that replay recorded source responses for tests and `ffa demo`."""
