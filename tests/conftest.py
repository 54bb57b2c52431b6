"""Shared test configuration: pytester drives pytest runs of Lua test files (test_plugin.py)."""

pytest_plugins = ["pytester"]
