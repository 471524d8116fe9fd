"""Celery worker commands: find them in deploy files, check their concurrency, fix and size it."""
