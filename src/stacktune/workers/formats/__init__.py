"""One reader per deploy/config format; each turns one file into worker commands and settings."""
