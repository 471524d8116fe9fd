"""Sources: each reads one kind of input and emits schema events with locations."""
