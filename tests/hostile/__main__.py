"""Serve one hostile behaviour by hand: `python -m tests.hostile silent --lifetime 120`.

Prints the URL, then serves until Ctrl-C or until `--lifetime` seconds have passed
(bounded, so a forgotten target does not linger).
"""

from __future__ import annotations

import argparse
import time

from tests.hostile import ALL_BEHAVIOURS, HostileTarget


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.hostile")
    parser.add_argument("behaviour", choices=ALL_BEHAVIOURS)
    parser.add_argument("--lifetime", type=float, default=300.0,
                        help="stop after this many seconds (default 300)")
    parser.add_argument("--delay", type=float, default=30.0, help="delay of `late`")
    arguments = parser.parse_args()
    with HostileTarget(arguments.behaviour, delay=arguments.delay) as target:
        print(target.url, flush=True)
        try:
            time.sleep(arguments.lifetime)
        except KeyboardInterrupt:
            pass
        print(f"{target.requests} requests over {target.connections} connections")


if __name__ == "__main__":
    main()
