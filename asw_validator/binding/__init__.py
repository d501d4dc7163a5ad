"""Binders: one module per document type, turning an lxml tree into frozen, located models."""
