"""Serve the reference (or a mutant) in its own process and count the requests it answers.

    python -m bench.serve --profile aws [--mutant NAME]

Prints the URL on the first line of stdout; when stdin closes, prints the number of
requests answered and stops. Used by `python -m bench schemathesis`.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from lambda_conformance.reference.server import Router
from lambda_conformance.reference.target import ReferenceTarget


def counting_router() -> dict[str, int]:
    counter = {"requests": 0}
    lock = threading.Lock()
    original = Router.dispatch

    def dispatch(self: Router, *args: Any, **kwargs: Any) -> Any:
        with lock:
            counter["requests"] += 1
        return original(self, *args, **kwargs)

    Router.dispatch = dispatch  # type: ignore[method-assign]
    return counter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("--profile", default="aws")
    parser.add_argument("--mutant")
    args = parser.parse_args(argv)
    counter = counting_router()
    with ReferenceTarget(profile=args.profile, mutant=args.mutant) as target:
        print(target.url, flush=True)
        sys.stdin.read()
        target.wait_for_events(5)
        print(counter["requests"], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
