"""PostgreSQL access: connecting safely, redacting passwords, throwaway servers for verification."""
