"""stacktune: find and fix the performance faults hiding in a backend's own source."""

__version__ = "0.1.0"
