"""python -m bench SUBCOMMAND: see bench/__init__.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bench import common


def _mutants(args: argparse.Namespace) -> list[str]:
    from lambda_conformance.reference.mutants import MUTANTS

    names = sorted(MUTANTS)
    if args.mutant:
        return list(args.mutant)
    if args.sample:
        step = max(len(names) / args.sample, 1)
        return [names[int(i * step)] for i in range(min(args.sample, len(names)))]
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", default=str(common.JSON_PATH), help="the store")
    parser.add_argument("--md", default=str(common.MD_PATH), help="the Markdown page")
    parser.add_argument("--no-save", action="store_true", help="print, do not store")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("overhead", help="suite vs plain requests loop, per request")
    p.add_argument("--hypothesis-profile", default="quick")
    p.add_argument("--replays", type=int, default=2, help="loop replays (the fastest counts)")

    p = sub.add_parser("walltime", help="whole suite: profiles x (1 process, -n 2)")
    p.add_argument("--profiles", default="quick,default,thorough")
    p.add_argument("--workers", default="0,2", help="0 is one process")

    for name, helptext in (
        ("sensitivity", "requests to each mutant's first declared failure; detection"),
        ("schemathesis", "schemathesis CLI alone against the same mutants and budget"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--mutant", action="append")
        p.add_argument("--sample", type=int, default=0, help="only this many mutants")
        p.add_argument("--jobs", type=int, default=2)
        if name == "sensitivity":
            p.add_argument("--profiles", default="quick")
            p.add_argument("--cache", help="JSON-lines file of finished runs (resumable)")
            p.add_argument("--stop-after", type=float, help="start no run after this many s")
        else:
            p.add_argument(
                "--budget",
                type=int,
                help="requests (default: the suite's quick "
                "reference run from the sensitivity figures)",
            )
            p.add_argument("--max-examples", type=int)
            p.add_argument("--seed", type=int, default=common.SEED)

    p = sub.add_parser("startup", help="collection alone; launch to first request")
    p.add_argument("--repeat", type=int, default=3)

    p = sub.add_parser("slow-target", help="a target 50 ms slower per answer: -n 1, 2, 4")
    p.add_argument("--workers", default="1,2,4")
    p.add_argument("--delay", type=float, default=0.05)
    p.add_argument("--hypothesis-profile", default="quick")

    p = sub.add_parser("growth", help="wall time at max_examples x1, x4, x16")
    p.add_argument("--factors", default="1,4,16")

    p = sub.add_parser("profile", help="pyinstrument: the suite and the reference")
    p.add_argument("--hypothesis-profile", default="quick")

    sub.add_parser("report", help="render docs/benchmarks.md from the JSON")
    args = parser.parse_args(argv)

    store_path = Path(args.json)
    results: dict[str, Any] = {}
    if args.command == "overhead":
        from bench.overhead import measure

        results["overhead"] = measure(args.hypothesis_profile, replays=args.replays)
    elif args.command == "walltime":
        from bench.walltime import walltime

        results["walltime"] = walltime(
            args.profiles.split(","), [int(w) for w in args.workers.split(",")]
        )
    elif args.command == "sensitivity":
        from bench.sensitivity import sweep as detection_sweep

        mutants = _mutants(args)
        for profile in args.profiles.split(","):
            results[f"detection_{profile}"] = detection_sweep(
                profile,
                mutants,
                jobs=args.jobs,
                trace=(profile == "quick"),
                cache=Path(args.cache) if args.cache else None,
                stop_after=args.stop_after,
            )
            if not args.no_save:
                common.save_section(
                    f"detection_{profile}", results[f"detection_{profile}"], store_path
                )
    elif args.command == "schemathesis":
        from bench.st import reference_clean_exclusions
        from bench.st import sweep as st_sweep

        budget = args.budget
        if budget is None:
            quick = common.load_store(store_path).get("benchmarks", {}).get("detection_quick")
            if not quick:
                parser.error("no --budget and no sensitivity figures to take it from")
            budget = int(quick["reference"]["total_requests"])
        mutants = _mutants(args)
        plain = st_sweep(mutants, budget, args.seed, jobs=args.jobs, max_examples=args.max_examples)
        results["schemathesis"] = plain
        if not plain["reference_clean"]:
            exclude, tries = reference_clean_exclusions(plain["max_examples"], args.seed)
            tuned = st_sweep(
                mutants,
                budget,
                args.seed,
                jobs=args.jobs,
                max_examples=plain["max_examples"],
                exclude=exclude,
            )
            tuned["exclusion_runs"] = tries
            results["schemathesis_reference_clean"] = tuned
    elif args.command == "startup":
        from bench.startup import measure as startup

        results["startup"] = startup(args.repeat)
    elif args.command == "slow-target":
        from bench.walltime import slow_target

        results["slow_target"] = slow_target(
            [int(w) for w in args.workers.split(",")],
            delay=args.delay,
            hypothesis_profile=args.hypothesis_profile,
        )
    elif args.command == "growth":
        from bench.walltime import growth

        results["growth"] = growth([int(f) for f in args.factors.split(",")])
    elif args.command == "profile":
        from bench.profiling import measure as profile

        results["profile"] = profile(args.hypothesis_profile)
    if args.no_save:
        import json

        print(json.dumps(results, indent=2))
        return 0
    for name, data in results.items():
        common.save_section(name, data, store_path)
    from bench.report import write_report

    write_report(store_path, Path(args.md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
