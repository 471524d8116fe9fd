"""The command line: thin glue from options to the pipeline and the reports.

One module per command; stacktune.cli.app lists them and loads each on first use.
"""

from stacktune.cli.app import app

__all__ = ["app"]
