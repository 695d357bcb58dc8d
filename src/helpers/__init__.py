"""Helpers for the integration compendium: load validated data, draw in the house style, record provenance."""
