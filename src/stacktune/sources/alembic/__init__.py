"""Alembic revisions as a schema source: discovery, the revision graph, upgrade() bodies as events."""

from stacktune.sources.alembic.discover import AlembicProject, find_alembic_projects, project_at
from stacktune.sources.alembic.reader import AlembicSource, Head, read_alembic

__all__ = ["AlembicProject", "AlembicSource", "Head", "find_alembic_projects", "project_at", "read_alembic"]
