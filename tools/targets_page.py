"""docs/targets.md and docs/targets/<key>.md: how real third-party Invoke implementations fare.

    python -m tools.targets_page                   # regenerate docs/targets.md and the reports
    python -m tools.targets_page --check           # exit 1: a page stale, a cause missing or unused
    python -m tools.targets_page add KEY RESULTS_JSON   # keep a run's record (validated)
    python -m tools.targets_page refresh KEY       # run KEY's recipe and the suite, keep the
                                                   # record, regenerate (one command per row)

The pages are generated from the records in docs/targets/results/, one per run, named
`<target key>--<profile>.json` (the run's results.json, unchanged). What a record cannot
say is kept in tools/targets_data.py: which implementation and version ran and the
command that ran it (TARGETS) and, for every requirement a run failed, one line on the
cause found by replaying the failure's curl command against the live target by hand
(CAUSES). A failure
whose cause starts with "SUITE:" was judged a fault of the suite, not of the target (a
false failure); the pages say so rather than hiding it, until the suite is fixed and the
run is repeated. docs/targets.md shows each target's three worst deviations
(tools/deviation_rank.py); docs/targets/<key>.md is the target's whole bug report
(tools/target_reports.py).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambda_conformance.reporters.markdown import md_code, md_text
from lambda_conformance.reporters.matrix import operation_scores, render_matrix_markdown
from lambda_conformance.results.score import percent
from lambda_conformance.results.store import load_record
from tools.deviation_rank import ranking_table, top
from tools.target_reports import SUITE_FAULT, RunReport, own, render_report, report_path
from tools.targets_data import CAUSES, PATTERN_CAUSES, TARGETS, Target

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "docs" / "targets" / "results"
PAGE = ROOT / "docs" / "targets.md"
REPORTS_DIR = ROOT / "docs" / "targets"


@dataclass(frozen=True)
class Run:
    key: str
    path: Path
    record: Mapping[str, Any]

    @property
    def target(self) -> Target:
        return TARGETS[self.key]

    @property
    def label(self) -> str:
        return f"{self.target.name} {self.target.mode} ({self.record['profile']})"

    def failed(self) -> list[Mapping[str, Any]]:
        return [r for r in self.record["requirements"] if r["status"] in ("failed", "error")]


def record_key(path: Path) -> str:
    key, sep, _profile = path.stem.partition("--")
    if not sep or key not in TARGETS:
        raise SystemExit(f"{path}: the name must be <target key>--<profile>.json with a key "
                         f"from TARGETS ({', '.join(TARGETS)})")
    return key


def load_runs(results_dir: Path = RESULTS_DIR) -> list[Run]:
    order = list(TARGETS)
    runs = [Run(record_key(p), p, load_record(p)) for p in sorted(results_dir.glob("*.json"))]
    return sorted(runs, key=lambda r: (order.index(r.key), r.record["profile"]))


def cause_of(run: Run, requirement: Mapping[str, Any]) -> str | None:
    if requirement["status"] == "error":
        errors = requirement["errors"]
        return (f"{SUITE_FAULT} {md_code(errors[0], 200)}" if errors
                else f"{SUITE_FAULT} the test errored")
    explicit = CAUSES.get(run.key, {}).get(requirement["id"])
    if explicit is not None:
        return explicit
    received = [str(f["received"]) for f in requirement["failures"]]
    for marker, cause in PATTERN_CAUSES.get(run.key, ()):
        if received and all(marker in text for text in received):
            return cause
    return None


def missing_causes(runs: Sequence[Run]) -> list[str]:
    return [f"{run.path.name}: {req['id']}" for run in runs for req in run.failed()
            if cause_of(run, req) is None]


def unused_causes(runs: Sequence[Run]) -> list[str]:
    """CAUSES entries for a requirement no kept run of that target fails: a cause checked
    against an older run, which must not outlive it."""
    failed: dict[str, set[str]] = {}
    for run in runs:
        failed.setdefault(run.key, set()).update(req["id"] for req in run.failed())
    return [f"{key}: {rid}" for key, causes in CAUSES.items() for rid in causes
            if rid not in failed.get(key, set())]


def _cause_line(run: Run, requirement: Mapping[str, Any]) -> str:
    cause = cause_of(run, requirement)
    rid = md_text(requirement["id"])
    level = requirement["level"]
    if cause is None:
        return f"- **{rid}** ({level}): cause not yet verified by hand"
    if requirement["status"] == "error":
        text = cause[len(SUITE_FAULT):].strip()
        return f"- **{rid}** ({level}): *error in the suite, no verdict* — {text}"
    if cause.startswith(SUITE_FAULT):
        text = cause[len(SUITE_FAULT):].strip()
        return f"- **{rid}** ({level}): *false failure, a fault of the suite* — {own(text)}"
    return f"- **{rid}** ({level}): {own(cause)}"


def run_report(run: Run) -> RunReport:
    return RunReport(label=run.label, record_file=run.path.name, record=run.record,
                     causes={req["id"]: cause_of(run, req) for req in run.failed()})


def reports(runs: Sequence[Run], directory: Path = REPORTS_DIR) -> dict[Path, str]:
    """docs/targets/<key>.md for every target with a kept run."""
    by_key: dict[str, list[Run]] = {}
    for run in runs:
        by_key.setdefault(run.key, []).append(run)
    return {report_path(directory, key): render_report(
                TARGETS[key].label, TARGETS[key].recipe, TARGETS[key].fixtures,
                [run_report(run) for run in key_runs])
            for key, key_runs in by_key.items()}


def render(runs: Sequence[Run]) -> str:
    # A column per operation (the matrix's score rows, turned): cells[i] is runs[i]'s.
    operations = operation_scores([run.record for run in runs])
    lines = [
        "# Real targets",
        "",
        "How third-party implementations of Lambda `Invoke` and `InvokeWithResponseStream`",
        "fare under the suite (the `invoke` and `stream` columns: each operation's own score).",
        "Generated by",
        "`python -m tools.targets_page` from the run records in",
        "[`targets/results/`](targets/results/) (each one a run's unchanged `results.json`);",
        "do not edit by hand. Every failure was replayed by hand with the curl command from",
        "the record against the live target (`python -m tools.replay RECORD --url URL",
        "--provision` runs them all and prints the answers), and its cause written down.",
        "Each target's **bug report** (the `report` link of its row) has every failed",
        "requirement, most harmful to an SDK user first: the rule, expected and received,",
        "the curl command and the cause. Below, per target, the three that matter most to",
        "an SDK user; a line marked *false failure* or *error in the suite* is a fault of the",
        "suite, not of the target, kept visible until the suite is fixed and the run",
        "repeated. How to run each target: [`targets/`](../targets/README.md); to refresh a",
        "row: `python -m tools.targets_page refresh KEY` (runs the recipe, keeps the record,",
        "regenerates).",
        "",
        "| target | version | mode | fixtures | profile | date | suite / spec | score | MUST"
        + "".join(f" | {md_text(key)}" for key, _ in operations)
        + " | passed / failed / error / untested | complete | report |",
        "|---|---|---|---|---|---|---|--:|--:|" + "--:|" * len(operations) + ":-:|:-:|---|",
    ]
    for index, run in enumerate(runs):
        rec, t = run.record, run.target
        totals = rec["totals"]
        lines.append(
            f"| {own(t.name)} | {own(t.version)} | {own(t.mode)} | "
            f"`{t.fixtures}` | {rec['profile']} | {rec['finished_at'][:10]} | "
            f"{md_text(rec['suite_version'])} / {md_text(rec['spec_version'])} | "
            f"{percent(rec['score'])} | {percent(rec['score_must'])} | "
            + "".join(f"{cells[index]} | " for _, cells in operations)
            + f"{totals['passed']} / {totals['failed']} / {totals['error']} / "
            f"{totals['untested']} | "
            f"{'yes' if rec['complete'] else 'no: ' + md_text(rec['stop_reason'])} | "
            f"[{run.key}](targets/{run.key}.md) |")
    lines += ["", "Targets that cannot run here (no Docker, binary not installable, no account): "
              "AWS SAM CLI, the Runtime Interface Emulator, real AWS; see "
              "[`targets/README.md`](../targets/README.md).", ""]
    for run in runs:
        lines += _run_section(run)
    lines += ["## How deviations are ranked", "",
              "Each target's failed requirements are ranked by the tier of their category, "
              "then their level (MUST, SHOULD, MAY), then the category's place in this table, "
              "then their place in `spec/invoke.yaml` "
              "([`tools/deviation_rank.py`](../tools/deviation_rank.py)); nothing is sorted "
              "by hand. The top 3 takes the first failure of each category until it has three, "
              "and leaves out the suite's own faults.", "", *ranking_table(), ""]
    matrix = render_matrix_markdown([r.record for r in runs], [r.label for r in runs])
    lines += [matrix.replace("## Lambda Invoke conformance comparison",
                             "## Comparison matrix", 1)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _by_operation(record: Mapping[str, Any]) -> str:
    operations = record.get("operations") or {}
    if not operations:
        return ""
    return "; by operation: " + ", ".join(
        f"{md_text(key)} {percent(o['score'])} ({o['totals']['passed']} passed, "
        f"{o['totals']['failed']} failed, {o['totals']['untested']} untested)"
        for key, o in operations.items())


def _run_section(run: Run) -> list[str]:
    rec, t = run.record, run.target
    lines = [
        f"## {own(run.label)}", "",
        f"- version: {own(t.version)}; recipe: `{t.recipe}`; fixtures: `{t.fixtures}`",
        f"- run: {rec['started_at']} to {rec['finished_at']}, profile `{rec['profile']}`, "
        f"hypothesis profile `{rec['hypothesis_profile']}`, suite {rec['suite_version']}, "
        f"spec {rec['spec_version']}, {rec['total_requests']} requests",
        f"- score {percent(rec['score'])} (MUST {percent(rec['score_must'])}, SHOULD "
        f"{percent(rec['score_should'])}), coverage {percent(rec['coverage'])}"
        + _by_operation(rec),
        f"- record: [`{run.path.name}`](targets/results/{run.path.name}); bug report: "
        f"[`targets/{run.key}.md`](targets/{run.key}.md)",
    ]
    lines += [f"- note: {own(note)}" for note in t.notes]
    report = run_report(run)
    deviations, faults = report.deviations(), report.suite_faults()
    failed = run.failed()
    if not failed:
        return [*lines, "", "No failed requirement.", ""]
    worst = top(deviations)
    lines += ["", f"{len(deviations)} requirements broken by the target"
              + (f", {len(faults)} failed by a fault of the suite" if faults else "")
              + (f"; the {len(worst)} that matter most to an SDK user:" if worst else "."), ""]
    lines += [_cause_line(run, req) for req in worst]
    if faults:
        lines += ["", "Failed by a fault of the suite, not of the target:", ""]
        lines += [_cause_line(run, req) for req in faults]
    return [*lines, ""]


def add(key: str, source: Path, results_dir: Path = RESULTS_DIR) -> Path:
    if key not in TARGETS:
        raise SystemExit(f"unknown target key {key!r}; known: {', '.join(TARGETS)}")
    record = load_record(source)  # validates against the schema
    if not record["complete"]:
        raise SystemExit(f"{source}: the run did not complete ({record['stop_reason']})")
    destination = results_dir / f"{key}--{record['profile']}.json"
    results_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    return destination


def refresh_command(key: str, out: Path, python: str = sys.executable) -> list[str]:
    """The target's command (TARGETS[key].command) with {python} and {out} filled in."""
    return [part.replace("{python}", python).replace("{out}", str(out))
            for part in TARGETS[key].command]


def refresh(key: str, results_dir: Path, timeout: float) -> Path:
    """Run the target's recipe and the suite as for its kept record; keep the new record."""
    with tempfile.TemporaryDirectory(prefix=f"lc-refresh-{key}-") as folder:
        out = Path(folder) / "run"
        out.mkdir()
        command = refresh_command(key, out)
        print("+ " + " ".join(shlex.quote(part) for part in command), file=sys.stderr)
        env = {**os.environ, "LC_PYTHON": sys.executable, "LC_OUT": str(out)}
        try:
            done = subprocess.run(command, cwd=ROOT, env=env, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as error:
            raise SystemExit(f"{key}: the run took longer than {timeout:g} s") from error
        # 1 is the suite saying the target failed requirements: the expected outcome.
        record = out / "results.json"
        if done.returncode not in (0, 1) or not record.exists():
            raise SystemExit(f"{key}: the run ended with status {done.returncode}"
                             + ("" if record.exists() else " and wrote no record"))
        return add(key, record, results_dir)


def _write(runs: Sequence[Run], page: Path, check: bool) -> bool:
    """Write (or with `check`, compare) the page and the reports; True when all are current."""
    wanted = {page: render(runs), **reports(runs, page.parent / "targets")}
    current = True
    for path, text in wanted.items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path} is stale: run python -m tools.targets_page", file=sys.stderr)
                current = False
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)
    # A report left from a target that has no kept run any more.
    for path in sorted((page.parent / "targets").glob("*.md")):
        if path not in wanted:
            print(f"{path}: no kept run of this target; remove it", file=sys.stderr)
            current = False
    return current


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.targets_page", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the page or a report differs from what "
                             "the records give, or a failed requirement has no cause")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument("--out", type=Path, default=PAGE,
                        help="the page; the reports go to targets/ beside it")
    commands = parser.add_subparsers(dest="command")
    adding = commands.add_parser("add", help="copy a run's results.json into the results folder")
    adding.add_argument("key", choices=sorted(TARGETS))
    adding.add_argument("record", type=Path)
    refreshing = commands.add_parser(
        "refresh", help="run a target's recipe and the suite, keep the record, regenerate")
    refreshing.add_argument("key", choices=sorted(TARGETS))
    refreshing.add_argument("--timeout", type=float, default=3600.0,
                            help="seconds the whole run may take (default 3600)")
    args = parser.parse_args(argv)
    if args.command == "add":
        print(add(args.key, args.record, args.results))
        return 0
    if args.command == "refresh":
        print(refresh(args.key, args.results, args.timeout))
    runs = load_runs(args.results)
    missing = missing_causes(runs)
    for item in missing:
        print(f"no cause recorded for {item}: replay it by hand (python -m tools.replay "
              "RECORD --url URL --provision) and add its line to CAUSES", file=sys.stderr)
    unused = unused_causes(runs)
    for item in unused:
        print(f"a cause for a requirement no run fails (remove it): {item}", file=sys.stderr)
    current = _write(runs, args.out, args.check)
    return 1 if missing or unused or not current else 0


if __name__ == "__main__":
    sys.exit(main())
