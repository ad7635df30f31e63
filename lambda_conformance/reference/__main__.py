"""Command line: serve the reference target until Ctrl-C.

    python -m lambda_conformance.reference --port 9000 --profile aws [--mutant NAME]
    python -m lambda_conformance.reference --list-mutants

Then, for example:

    curl -s -X POST localhost:9000/2015-03-31/functions/conformance-echo/invocations -d '{"a":1}'
    curl -si -X POST \\
         'localhost:9000/2015-03-31/functions/conformance-introspect/invocations?Qualifier=live'
    curl -si -X POST localhost:9000/2015-03-31/functions/conformance-log/invocations \\
         -H 'X-Amz-Log-Type: Tail' -d '{"lines": 3}'
    curl -si -X POST localhost:9000/2015-03-31/functions/conformance-echo/invocations \\
         -H 'X-Amz-Invocation-Type: Event' -d '{}'
"""

from __future__ import annotations

import argparse
import sys
import threading

from lambda_conformance.reference.mutants import MUTANTS
from lambda_conformance.reference.target import ReferenceTarget
from lambda_conformance.spec import PROFILES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lambda_conformance.reference",
        description="Serve the reference Lambda Invoke target on 127.0.0.1.",
    )
    parser.add_argument(
        "--port", type=int, default=9000, help="port to listen on (0: any free port)"
    )
    parser.add_argument(
        "--profile", choices=PROFILES, default="aws", help="spec profile to implement"
    )
    parser.add_argument("--mutant", choices=sorted(MUTANTS), help="deviate in this one way")
    parser.add_argument("--region", default="us-east-1", help="the target's region")
    parser.add_argument("--account-id", default="000000000000", help="the target's account id")
    parser.add_argument("--list-mutants", action="store_true", help="list the mutants and exit")
    args = parser.parse_args(argv)
    if args.list_mutants:
        for mutant in MUTANTS.values():
            print(f"{mutant.name:28} {mutant.description}")
            print(f"{'':28} violates: {', '.join(mutant.violates)}")
            if mutant.collateral:
                print(f"{'':28} collateral: {', '.join(mutant.collateral)}")
        return 0
    target = ReferenceTarget(
        profile=args.profile,
        mutant=args.mutant,
        region=args.region,
        account_id=args.account_id,
        port=args.port,
    )
    with target:
        deviation = f", mutant {args.mutant}" if args.mutant else ""
        print(
            f"{target.url}  (profile {args.profile}{deviation}; functions: "
            f"{', '.join(target.functions.values())}; Ctrl-C to stop)",
            flush=True,
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
