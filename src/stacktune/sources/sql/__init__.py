"""SQL migrations: statements to events (pglast), migration folder layouts, folder discovery."""
