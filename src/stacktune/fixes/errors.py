"""The one error a fix raises when it cannot be written as asked; the CLI prints its message."""


class FixError(Exception):
    """The fix cannot be produced (an ambiguous target, a missing Alembic head, a bad pattern)."""
