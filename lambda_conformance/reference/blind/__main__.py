"""Command line: serve a blind mutant (the reference behind a deviating proxy) until Ctrl-C.

python -m lambda_conformance.reference.blind --profile aws --deviation NAME [--port P]
python -m lambda_conformance.reference.blind --list
"""

from __future__ import annotations

import argparse
import signal
import threading

from lambda_conformance.reference.blind.catalogue import DEVIATIONS, PROFILES
from lambda_conformance.reference.blind.proxy import BlindTarget


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lambda_conformance.reference.blind",
        description="Serve the reference Invoke target behind a proxy that deviates once.",
    )
    parser.add_argument("--profile", choices=PROFILES, default="aws", help="spec profile")
    parser.add_argument("--deviation", choices=sorted(DEVIATIONS), help="none: pass-through")
    parser.add_argument("--port", type=int, default=0, help="proxy port (0: any free port)")
    parser.add_argument("--list", action="store_true", help="list the catalogue and exit")
    args = parser.parse_args(argv)
    if args.list:
        for entry in DEVIATIONS.values():
            kind = "control" if entry.control else "deviation"
            print(f"{entry.name:44} {kind:9} {entry.description}")
            for profile in PROFILES:
                ids = ", ".join(entry.violates[profile]) or "-"
                print(f"{'':44} {profile:9} {ids}")
        return 0
    with BlindTarget(args.profile, args.deviation, port=args.port) as target:
        print(
            f"{target.url}  (profile {args.profile}, deviation {args.deviation or 'none'}; "
            f"upstream {target.reference.url}; Ctrl-C to stop)",
            flush=True,
        )
        stop = threading.Event()
        # SIGTERM stops as cleanly as Ctrl-C: the reference's workers are reaped on exit.
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
