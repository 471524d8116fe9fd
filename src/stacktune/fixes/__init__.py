"""Fixes: turn what the checks found into edits (a new migration in the project's own style).

Fixes never decide what is wrong; they read the audit's verdicts and write the change.
"""
