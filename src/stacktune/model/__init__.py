"""The data every stage shares: locations, schema events, the replayed schema, findings."""
