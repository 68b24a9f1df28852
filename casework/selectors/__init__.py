"""Reads of case sessions, one module per area."""
