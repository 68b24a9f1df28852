"""Writes of case sessions, one module per area."""
