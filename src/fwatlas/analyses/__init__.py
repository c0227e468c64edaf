"""Analyses: pure functions over the store that return typed results and publish facts."""
