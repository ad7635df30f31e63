"""A hostile test target: a real HTTP server on 127.0.0.1 that misbehaves on command.

`HostileTarget(behaviour)` serves one behaviour of `behaviours.BEHAVIOURS` (or
`refused`); `runner.run_suite` runs the whole conformance suite against it in a
subprocess. docs/hostile-targets.md lists the behaviours and what the suite reports.
"""

from __future__ import annotations

from tests.hostile.behaviours import ALL_BEHAVIOURS
from tests.hostile.server import HostileTarget

__all__ = ["ALL_BEHAVIOURS", "HostileTarget"]
