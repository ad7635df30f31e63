"""The project's own tests.

The schemathesis tests (#6) are committed but not collected until their helper's
verification is in; the closing note says so.
"""

collect_ignore_glob = [
    "test_schemathesis*.py",
]
