"""The suite's pytest plugin, one module per concern.

Registered through the `pytest11` entry point `lambda-conformance` (pyproject.toml), so
pytest knows the suite's options wherever the package is installed; `-p
no:lambda-conformance` turns it off. Every module stays inert unless the session is a
conformance run (plugins/selection.py).
"""

pytest_plugins = [
    "plugins.options",
    "plugins.target",
    "plugins.recording",
    "plugins.reporting",
]
