"""Checks: pure functions from normalised inputs to findings, one module per rule."""
