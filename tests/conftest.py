"""The project's own tests.

Test files still in progress for open issues (hostile targets #8, real targets #7,
schemathesis #6) are committed but not collected until they have been verified on a
quiet machine; the closing note of the session that added them says so.
"""

collect_ignore_glob = [
    "test_hostile*.py",
    "test_canary.py",
    "test_signals.py",
    "test_malformed_inputs.py",
    "test_real_targets.py",
    "test_schemathesis*.py",
]
