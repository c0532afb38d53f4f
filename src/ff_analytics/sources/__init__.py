"""Source connectors: each fetches its upstream and writes through the snapshot store."""
