"""Mutation self-test: run the suite against the reference and each mutant, tabulate.

    python -m tools.mutation_table --all            # every mutant, both profiles
    python -m tools.mutation_table --sample 8       # what CI runs
    python -m tools.mutation_table --all --out docs/mutation-table.md

A mutant is *detected* under a profile when the suite fails every requirement it
declares (`violates`); the run is *clean* when the suite fails nothing beyond
`violates` and `collateral`. The reference itself must score 100% with no failure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import suite_command
from lambda_conformance.reference.mutants import MUTANTS
from lambda_conformance.spec import PROFILES, load_spec

ROOT = Path(__file__).resolve().parents[1]
BAD = ("failed", "error")


@dataclass
class Outcome:
    profile: str
    mutant: str | None
    declared: tuple[str, ...]
    allowed: tuple[str, ...]
    failed: tuple[str, ...]
    score: float
    requests: int
    seconds: float
    returncode: int
    detail: str = ""
    extra: tuple[str, ...] = field(default=())

    @property
    def applicable(self) -> bool:
        return self.mutant is None or bool(self.declared)

    @property
    def detected(self) -> bool:
        return bool(self.declared) and set(self.declared) <= set(self.failed)

    @property
    def clean(self) -> bool:
        return not self.extra

    @property
    def ok(self) -> bool:
        if self.mutant is None:
            return not self.failed and self.score == 1.0
        if not self.applicable:
            return self.clean
        return self.detected and self.clean


def run_suite(
    profile: str,
    mutant: str | None,
    hypothesis_profile: str,
    seed: int,
    records: Path,
    reuse: bool = False,
    extra: list[str] | None = None,
    timeout: float = 900,
) -> Outcome:
    """Run (or, with `reuse`, re-read) the suite's record for one profile and mutant."""
    spec = load_spec(profile)
    m = MUTANTS[mutant] if mutant else None
    declared = m.violated_under(spec) if m else ()
    allowed = declared + (m.collateral_under(spec) if m else ())
    report_dir = records / profile / (mutant or "reference")
    results = report_dir / "results.json"
    seconds, returncode, output = 0.0, 0, ""
    if not (reuse and results.exists()):
        report_dir.mkdir(parents=True, exist_ok=True)
        results.unlink(missing_ok=True)
        command = suite_command(
            spec_profile=profile, hypothesis_profile=hypothesis_profile, seed=seed,
            mutant=mutant, report_dir=str(report_dir), extra=extra,
        )
        started = time.monotonic()
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
        seconds, returncode = time.monotonic() - started, done.returncode
        output = done.stdout[-2000:] + done.stderr[-2000:]
    if not results.exists():
        return Outcome(
            profile,
            mutant,
            declared,
            allowed,
            ("<no record>",),
            0.0,
            0,
            seconds,
            returncode,
            detail=output,
        )
    record = json.loads(results.read_text(encoding="utf-8"))
    failed = tuple(r["id"] for r in record["requirements"] if r["status"] in BAD)
    extra_failed = tuple(f for f in failed if f not in allowed)
    why: list[str] = []
    for requirement in record["requirements"]:
        if requirement["id"] in extra_failed or (
            requirement["id"] in declared and requirement["status"] not in BAD
        ):
            for failure in requirement["failures"][:1]:
                why.append(
                    f"  {requirement['id']}: {failure['title']}: expected "
                    f"{failure['expected'][:120]}; received {failure['received'][:160]} "
                    f"({failure['test']})"
                )
            why.extend(f"  {requirement['id']}: {e[:300]}" for e in requirement["errors"][:1])
            if requirement["status"] not in BAD:
                why.append(
                    f"  {requirement['id']}: {requirement['status']} "
                    f"{requirement['untested_reasons'][:1]}"
                )
    return Outcome(
        profile,
        mutant,
        declared,
        allowed,
        failed,
        record["score"],
        record["total_requests"],
        seconds,
        returncode,
        detail="\n".join(why),
        extra=extra_failed,
    )


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| profile | mutant | declared requirements | failed by the suite | detected | clean |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        name = o.mutant or "(reference)"
        declared = ", ".join(o.declared) or ("–" if o.mutant is None else "not a deviation here")
        failed = ", ".join(o.failed) or "none"
        if o.mutant is None:
            detected = f"score {o.score:.2%}"
        elif not o.applicable:
            detected = "n/a"
        else:
            detected = "yes" if o.detected else "**NO**"
        clean = "yes" if o.clean else "**NO**: " + ", ".join(o.extra)
        lines.append(f"| {o.profile} | `{name}` | {declared} | {failed} | {detected} | {clean} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--all", action="store_true", help="every mutant")
    group.add_argument("--sample", type=int, default=8, help="this many mutants, spread evenly")
    parser.add_argument("--mutant", action="append", help="only these mutants")
    parser.add_argument("--profile", choices=PROFILES, action="append")
    parser.add_argument("--hypothesis-profile", default="quick")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument(
        "--records",
        type=Path,
        default=ROOT / "reports" / "mutation",
        help="where each run's results.json is kept",
    )
    parser.add_argument(
        "--blind-records",
        type=Path,
        help="with --out: append the blind mutants' table from this directory "
        "(python -m lambda_conformance.reference.blind.run --records DIR)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="re-read records already in --records instead of running again",
    )
    args = parser.parse_args(argv)
    names = sorted(MUTANTS)
    if args.mutant:
        names = args.mutant
    elif not args.all:
        step = max(len(names) / max(args.sample, 1), 1)
        names = [names[int(i * step)] for i in range(min(args.sample, len(names)))]
    profiles = args.profile or list(PROFILES)
    jobs = [(p, m) for p in profiles for m in [None, *names]]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(
            pool.map(
                lambda job: run_suite(
                    job[0], job[1], args.hypothesis_profile, args.seed, args.records, args.reuse
                ),
                jobs,
            )
        )
    text = table(outcomes)
    print(text)
    bad = [o for o in outcomes if not o.ok]
    for o in bad:
        print(
            f"FAILED: {o.profile} {o.mutant or '(reference)'}: declared {o.declared}, "
            f"failed {o.failed}, unexpected {o.extra}\n{o.detail}",
            file=sys.stderr,
        )
    if args.out:
        header = (
            "# Mutation table\n\nGenerated by `python -m tools.mutation_table "
            f"{'--all' if args.all else '--sample ' + str(args.sample)}"
            f"{' --reuse' if args.reuse else ''}` "
            f"(hypothesis profile `{args.hypothesis_profile}`, seed {args.seed}). "
            "A mutant is detected when the suite fails every requirement it declares; the run "
            "is clean when nothing else failed beyond its declared collateral.\n\n"
        )
        own = (
            "## Own mutants\n\nWritten by the suite's authors "
            "(`lambda_conformance/reference/mutants.py`).\n\n"
        )
        blind = ""
        if args.blind_records:
            written = (args.blind_records / "blind-table.md").read_text(encoding="utf-8")
            # The runner's own title becomes a section of this page.
            body = written.split("\n", 1)[1].replace("\n## ", "\n### ")
            blind = (
                "\n## Blind mutants\n\nWritten from `../shared/` and `spec/` alone by someone "
                "who had not read the suites, the checks or the own mutants "
                "(`lambda_conformance/reference/blind/`), as a deviating proxy in front of "
                "the reference. Generated by `python -m lambda_conformance.reference.blind.run "
                f"--records DIR`.\n{body}"
            )
        args.out.write_text(header + own + text + blind, encoding="utf-8")
    detected = sum(1 for o in outcomes if o.mutant and o.applicable and o.detected)
    applicable = sum(1 for o in outcomes if o.mutant and o.applicable)
    print(f"{detected}/{applicable} mutant runs detected; {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
