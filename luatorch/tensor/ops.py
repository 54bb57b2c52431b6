"""Importing this module registers every tensor function with the dispatcher."""

from . import indexing, linalg, math, matrix  # noqa: F401
