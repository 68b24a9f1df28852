"""Reads about teacher leaders, one module per area."""
