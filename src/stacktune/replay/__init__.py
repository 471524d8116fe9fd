"""Replay: apply schema events in order, with PostgreSQL's own semantics, into a Schema."""
