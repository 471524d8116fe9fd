"""`python -m stacktune`: the same as the `stacktune` command."""

from stacktune.cli import app

app()
