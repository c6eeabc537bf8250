"""I/O adapters fed by the engine's pure outboxes (webhook delivery)."""
