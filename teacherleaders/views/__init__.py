"""Thin views about teacher leaders, one module per area, each with its own routes."""
