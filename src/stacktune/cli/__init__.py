"""The command line: thin glue from options to the pipeline and the reports.

Each command lives in its own module; importing them here, explicitly, registers them.
"""

from stacktune.cli import audit_command  # noqa: F401  (registers `audit`)
from stacktune.cli import fix_command  # noqa: F401  (registers `fix`)
from stacktune.cli import live_commands  # noqa: F401  (registers `verify`, `drift`, `apply`)
from stacktune.cli import rule_command  # noqa: F401  (registers `rule`)
from stacktune.cli import worker_command  # noqa: F401  (registers `worker size`)
from stacktune.cli.app import app

__all__ = ["app"]
