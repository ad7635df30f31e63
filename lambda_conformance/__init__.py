"""Conformance test suite for the AWS Lambda Invoke HTTP API.

PYTEST_DONT_REWRITE: the `lambda-conformance` command imports this package before it starts
pytest, which would otherwise warn that the plugin's distribution was imported too early
for assertion rewriting (this module has no assertions; its submodules are still
rewritten as pytest does for any plugin).
"""

__version__ = "0.1.0"
