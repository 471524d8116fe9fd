"""Live databases: read a PostgreSQL catalog into the same Schema that replay builds."""
