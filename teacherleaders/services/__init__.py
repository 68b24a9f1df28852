"""Writes about teacher leaders, one module per area."""
