"""Detection table: which mutants schemathesis finds, which the hypothesis suites find, which both.

    python -m tools.detection_table                      # every mutant, both profiles
    python -m tools.detection_table --mutant not-found-400 --profile aws
    python -m tools.detection_table --out docs/detection-table.md

For each mutant and profile the suite runs twice against the embedded reference target
running that mutant (tools/mutation_table.py: `run_suite`): (a) only
suites/test_schemathesis.py, (b) every other suite (the hypothesis suites). A generator
*detects* a mutant when its run fails at least one requirement the mutant declares
(`violates`); it is *clean* when nothing failed beyond `violates` and `collateral`.
The reference itself must give both runs no failure.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lambda_conformance.reference.mutants import MUTANTS
from lambda_conformance.spec import PROFILES
from tools.mutation_table import ROOT, Outcome, run_suite

SCHEMATHESIS_MODULE = "suites/test_schemathesis.py"
# The two generators, as extra pytest arguments after `pytest suites`.
GENERATORS: dict[str, list[str]] = {
    "schemathesis": ["-k", "test_schemathesis"],
    "hypothesis": [f"--ignore={SCHEMATHESIS_MODULE}"],
}
# The mutants the issue asks schemathesis to find (status codes, error mapping,
# invalid names accepted).
MUST_DETECT = ("unknown-function-500", "not-found-400", "error-type-no-suffix",
               "invalid-names-accepted")


@dataclass(frozen=True)
class Row:
    profile: str
    mutant: str | None
    schemathesis: Outcome
    hypothesis: Outcome

    @staticmethod
    def detects(outcome: Outcome) -> bool:
        return bool(set(outcome.declared) & set(outcome.failed))

    @property
    def applicable(self) -> bool:
        return self.mutant is None or bool(self.schemathesis.declared)

    @property
    def by(self) -> str:
        s, h = self.detects(self.schemathesis), self.detects(self.hypothesis)
        return {(True, True): "both", (True, False): "schemathesis alone",
                (False, True): "hypothesis suites alone", (False, False): "neither"}[(s, h)]

    @property
    def problems(self) -> list[str]:
        found: list[str] = []
        for name, outcome in (("schemathesis", self.schemathesis), ("hypothesis", self.hypothesis)):
            if self.mutant is None and outcome.failed:
                found.append(f"{name} fails the reference: {', '.join(outcome.failed)}")
            elif outcome.extra:
                found.append(f"{name} unclean: {', '.join(outcome.extra)}")
        if self.mutant in MUST_DETECT and self.applicable and not self.detects(self.schemathesis):
            found.append("schemathesis misses a mutant it must detect")
        return found


def _cell(outcome: Outcome) -> str:
    hit = [f for f in outcome.failed if f in outcome.declared]
    text = "yes" if hit else "no"
    if hit:
        text += f" ({', '.join(hit)})"
    if outcome.extra:
        text += f"; **unclean**: {', '.join(outcome.extra)}"
    return text


def table(rows: list[Row]) -> str:
    lines = [
        "| profile | mutant | declared | schemathesis | hypothesis suites | detected by |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r.mutant is None:
            s, h = r.schemathesis, r.hypothesis
            lines.append(f"| {r.profile} | (reference) | – | "
                         f"failed: {', '.join(s.failed) or 'none'} ({s.requests} requests) | "
                         f"failed: {', '.join(h.failed) or 'none'} ({h.requests} requests) | – |")
            continue
        if not r.applicable:
            lines.append(f"| {r.profile} | `{r.mutant}` | not a deviation here | – | – | n/a |")
            continue
        lines.append(f"| {r.profile} | `{r.mutant}` | {', '.join(r.schemathesis.declared)} | "
                     f"{_cell(r.schemathesis)} | {_cell(r.hypothesis)} | {r.by} |")
    return "\n".join(lines) + "\n"


def summary(rows: list[Row]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        if r.mutant is not None and r.applicable:
            counts[r.by] = counts.get(r.by, 0) + 1
    order = ("both", "schemathesis alone", "hypothesis suites alone", "neither")
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in order) + " (mutant × profile runs)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--mutant", action="append", help="only these mutants (default: all)")
    parser.add_argument("--profile", choices=PROFILES, action="append")
    parser.add_argument("--hypothesis-profile", default="quick")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument("--records", type=Path, default=ROOT / "reports" / "detection",
                        help="where each run's results.json is kept (one folder per generator)")
    parser.add_argument("--reuse", action="store_true",
                        help="re-read records already in --records instead of running again")
    args = parser.parse_args(argv)
    unknown = [m for m in args.mutant or [] if m not in MUTANTS]
    if unknown:
        parser.error(f"--mutant: unknown mutants {unknown}; see "
                     "python -m lambda_conformance.reference --list-mutants")
    names: list[str | None] = [None, *(args.mutant or sorted(MUTANTS))]
    profiles = args.profile or list(PROFILES)
    jobs = [(p, m, g) for p in profiles for m in names for g in GENERATORS]

    def run(job: tuple[str, str | None, str]) -> Outcome:
        profile, mutant, generator = job
        return run_suite(profile, mutant, args.hypothesis_profile, args.seed,
                         records=args.records / generator, reuse=args.reuse,
                         extra=GENERATORS[generator])

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = dict(zip(jobs, pool.map(run, jobs), strict=True))
    rows = [Row(p, m, outcomes[(p, m, "schemathesis")], outcomes[(p, m, "hypothesis")])
            for p in profiles for m in names]
    text = table(rows)
    print(text)
    print(summary(rows))
    problems = [(r, p) for r in rows for p in r.problems]
    for row, problem in problems:
        print(f"PROBLEM: {row.profile} {row.mutant or '(reference)'}: {problem}", file=sys.stderr)
    if args.out:
        header = (
            "# Detection table: schemathesis vs. the hypothesis suites\n\n"
            "Generated by `python -m tools.detection_table` (hypothesis profile "
            f"`{args.hypothesis_profile}`, seed {args.seed}). For each mutant of the reference "
            f"target, `{SCHEMATHESIS_MODULE}` alone and the other suites alone are run; a "
            "generator detects a mutant when it fails at least one requirement the mutant "
            "declares (the IDs in brackets), and is unclean when it fails a requirement "
            "outside the mutant's declared and collateral ones.\n\n"
            f"Summary: {summary(rows)}.\n\n"
        )
        args.out.write_text(header + text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
