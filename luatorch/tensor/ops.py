"""Importing this module registers every tensor function with the dispatcher."""

from . import math  # noqa: F401
