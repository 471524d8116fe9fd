"""SQLAlchemy models as a schema source: static `ast` reading (and, optionally, importing)."""

from stacktune.sources.models.reader import find_model_files, read_models

__all__ = ["find_model_files", "read_models"]
