"""Forms about teacher leaders, one module per area."""
