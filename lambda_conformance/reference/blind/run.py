"""Runner: the conformance suite (as an outside user runs it) against every blind mutant.

    python -m lambda_conformance.reference.blind.run [--profile P] [--only NAME ...]
        [--jobs 2] --records DIR

For each profile and each catalogue entry (plus the pass-through) it starts a BlindTarget,
runs `pytest suites` against it in a subprocess, reads the run's results.json, and writes
DIR/blind-table.md and DIR/blind-summary.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lambda_conformance.reference.blind.catalogue import (
    DEVIATIONS,
    PASS_THROUGH,
    PROFILES,
    BlindMutant,
)
from lambda_conformance.reference.blind.proxy import BlindTarget

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = Path(__file__).with_name("manifest.yaml")
SEED = "20261126"
SUITE_TIMEOUT = 600.0


@dataclass
class Outcome:
    """One suite run against one entry under one profile."""

    profile: str
    name: str
    control: bool
    declared: list[str]
    failed: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)
    score: float | None = None
    seconds: float = 0.0
    problem: str = ""

    @property
    def detected(self) -> bool:
        return bool(self.failed)

    @property
    def attributed(self) -> bool:
        return bool(set(self.declared) & set(self.failed))


def suite_command(url: str, profile: str, report_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "suites",
        "-q",
        "-p",
        "no:cacheprovider",
        "--target-url",
        url,
        "--fixtures-manifest",
        str(MANIFEST),
        "--profile",
        profile,
        "--hypothesis-profile",
        "quick",
        "--hypothesis-seed",
        SEED,
        "--report-dir",
        str(report_dir),
    ]


def run_one(profile: str, entry: BlindMutant, records: Path, resume: bool = False) -> Outcome:
    outcome = Outcome(profile, entry.name, entry.control, list(entry.violates[profile]))
    report_dir = records / profile / entry.name
    if resume and (report_dir / "results.json").exists():
        return read_results(outcome, report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    deviation = None if entry is PASS_THROUGH else entry.name
    started = time.monotonic()
    try:
        with BlindTarget(profile, deviation) as target:
            completed = subprocess.run(
                suite_command(target.url, profile, report_dir),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=SUITE_TIMEOUT,
                check=False,
            )
            (report_dir / "pytest.log").write_text(completed.stdout + completed.stderr)
    except subprocess.TimeoutExpired:
        outcome.problem = f"suite timed out after {SUITE_TIMEOUT:.0f} s"
    except Exception as exc:  # a target that cannot start is a result, not a crash
        outcome.problem = f"{type(exc).__name__}: {exc}"
    outcome.seconds = round(time.monotonic() - started, 1)
    return read_results(outcome, report_dir)


def read_results(outcome: Outcome, report_dir: Path) -> Outcome:
    """Fill `outcome` from the run's results.json."""
    results = report_dir / "results.json"
    if results.exists():
        record = json.loads(results.read_text())
        outcome.score = record.get("score")
        requirements = record["requirements"]
        outcome.failed = sorted(
            r["id"] for r in requirements if r.get("status") in ("failed", "error")
        )
        outcome.untested = sorted(r["id"] for r in requirements if r.get("status") == "untested")
    elif not outcome.problem:
        outcome.problem = "no results.json"
    return outcome


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "# Blind mutants against the suite",
        "",
        f"Seed {SEED}, hypothesis profile quick. Detected: the run failed at least one "
        "requirement. Attributed: at least one declared ID failed.",
        "",
    ]
    for profile in PROFILES:
        rows = [o for o in outcomes if o.profile == profile]
        if not rows:
            continue
        deviations = [o for o in rows if not o.control and o.declared]
        not_here = [o for o in rows if not o.control and not o.declared]
        ctrl = [o for o in rows if o.control]
        lines += [
            f"## {profile}",
            "",
            f"Deviations under this profile: {len(deviations)}; detected "
            f"{sum(o.detected for o in deviations)}, attributed "
            f"{sum(o.attributed for o in deviations)}. Controls (incl. pass-through): "
            f"{len(ctrl)}, flagged {sum(o.detected for o in ctrl)}. Entries that are no "
            f"deviation here: {len(not_here)}, flagged {sum(o.detected for o in not_here)}.",
            "",
            "| profile | name | control? | declared IDs | IDs the suite failed | detected | "
            "attributed | score | s |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for o in rows:
            score = "-" if o.score is None else f"{o.score:.4f}"
            problem = f" ({o.problem})" if o.problem else ""
            lines.append(
                f"| {o.profile} | {o.name} | {'yes' if o.control else 'no'} | "
                f"{', '.join(o.declared) or '-'} | {', '.join(o.failed) or '-'}{problem} | "
                f"{'yes' if o.detected else 'no'} | "
                f"{'yes' if o.attributed else ('-' if not o.declared else 'no')} | "
                f"{score} | {o.seconds} |"
            )
        lines.append("")
    return "\n".join(lines)


def schedule(entries: list[BlindMutant], profiles: list[str]) -> list[tuple[str, BlindMutant]]:
    """The runs in the order that tells most when the run is cut short (2 shared cores):
    the pass-through and the controls under every profile; then every deviation once, under
    a profile where it is one (alternating when both); then the other profile; last the
    entries under profiles where they are no deviation (the suite must pass those)."""
    first: list[tuple[str, BlindMutant]] = []
    second: list[tuple[str, BlindMutant]] = []
    last: list[tuple[str, BlindMutant]] = []
    deviations = [e for e in entries if not e.control]
    for entry in entries:
        if entry.control:
            first += [(profile, entry) for profile in profiles]
    for index, entry in enumerate(deviations):
        judged = [p for p in profiles if entry.violates[p]]
        if len(judged) > 1 and index % 2:
            judged.reverse()
        if judged:
            first.append((judged[0], entry))
            second += [(profile, entry) for profile in judged[1:]]
        last += [(profile, entry) for profile in profiles if not entry.violates[profile]]
    return first + second + last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lambda_conformance.reference.blind.run")
    parser.add_argument("--profile", choices=PROFILES, action="append", help="default: both")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these entries")
    parser.add_argument("--jobs", type=int, default=1, help="suite runs in parallel")
    parser.add_argument("--records", type=Path, required=True, help="output directory")
    parser.add_argument(
        "--resume", action="store_true", help="reuse the results already in --records"
    )
    parser.add_argument(
        "--sample", type=int, metavar="N",
        help="the pass-through and N entries spread evenly over the catalogue (CI)",
    )
    args = parser.parse_args(argv)
    profiles = args.profile or list(PROFILES)
    entries = [PASS_THROUGH, *DEVIATIONS.values()]
    if args.only:
        unknown = set(args.only) - set(DEVIATIONS) - {PASS_THROUGH.name}
        if unknown:
            parser.error(f"unknown entries: {', '.join(sorted(unknown))}")
        entries = [e for e in entries if e.name in args.only]
    elif args.sample is not None:
        catalogue = list(DEVIATIONS.values())
        step = max(len(catalogue) / max(args.sample, 1), 1.0)
        picked = {int(i * step) for i in range(min(args.sample, len(catalogue)))}
        entries = [PASS_THROUGH, *(catalogue[i] for i in sorted(picked))]
    records: Path = args.records
    records.mkdir(parents=True, exist_ok=True)
    jobs = schedule(entries, profiles)
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [
            pool.submit(run_one, profile, entry, records, args.resume) for profile, entry in jobs
        ]
        for future in futures:
            outcome = future.result()
            outcomes.append(outcome)
            print(
                f"{outcome.profile:10} {outcome.name:44} failed={','.join(outcome.failed) or '-'}"
                f" {outcome.problem}",
                flush=True,
            )
            (records / "blind-table.md").write_text(table(outcomes))
            summary = [
                {**asdict(o), "detected": o.detected, "attributed": o.attributed} for o in outcomes
            ]
            (records / "blind-summary.json").write_text(json.dumps(summary, indent=2))
    return verdict(outcomes, entries)


def verdict(outcomes: list[Outcome], entries: list[BlindMutant]) -> int:
    """Print the totals; 1 when the suite failed a run that conforms (a false failure) or a
    run gave no record. A missed deviation is reported, not an error of this command."""
    by_name = {e.name: e for e in entries}
    judged = [o for o in outcomes if by_name[o.name].applies_under(o.profile)]
    conforming = [o for o in outcomes if not by_name[o.name].applies_under(o.profile)]
    false_failures = [o for o in conforming if o.failed]
    broken = [o for o in outcomes if o.problem]
    for profile in sorted({o.profile for o in outcomes}):
        mine = [o for o in judged if o.profile == profile]
        ok = [o for o in conforming if o.profile == profile]
        print(
            f"blind {profile}: detected {sum(o.detected for o in mine)}/{len(mine)} deviations, "
            f"attributed {sum(o.attributed for o in mine)}; "
            f"flagged {sum(bool(o.failed) for o in ok)}/{len(ok)} conforming runs",
            flush=True,
        )
    for o in false_failures:
        print(f"FALSE FAILURE: {o.profile} {o.name}: {', '.join(o.failed)}", file=sys.stderr)
    for o in broken:
        print(f"NO VERDICT: {o.profile} {o.name}: {o.problem}", file=sys.stderr)
    return 1 if false_failures or broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
