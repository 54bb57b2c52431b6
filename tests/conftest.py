"""Shared test configuration: pytester drives pytest runs of Lua test files
(pytest_plugin/test_plugin.py)."""

pytest_plugins = ["pytester"]
