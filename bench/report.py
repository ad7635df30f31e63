"""docs/benchmarks.md from docs/benchmarks.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.common import JSON_PATH, MD_PATH, load_store


def _load(x: Any) -> str:
    return "/".join(f"{v:g}" for v in x) if x else "?"


def _pct(x: float | None) -> str:
    return "?" if x is None else f"{x:.0%}"


def _yes(ok: bool | None) -> str:
    return "?" if ok is None else ("yes" if ok else "**no**")


METHODS = [
    "**1. Overhead** (`bench/overhead.py`): the quick run in the bench's own process "
    "(`pytest.main`) against the embedded reference; `Client.send` is wrapped to keep every "
    "request put on the wire. At session end, before the reference stops, a plain "
    "`requests.Session` loop replays the same requests in the same order (same method, "
    "path, query, headers, body; unsigned, since the reference does not check signatures, "
    "so signing counts as suite overhead) and reads each body. Suite time: end of "
    "collection to end of session, minus the time blocked in `BeaconListener.wait_for` "
    "(waiting for the target to run Event invocations). Both are divided by the same "
    "request count. 1b removes the requests that waited on a function (sleep fixture, "
    "timeouts: ≥ 0.25 s in either run) from both sides.",
    "**2. Wall time**: one fresh `python -m pytest suites` process per figure, timed from "
    "outside: interpreter start, the reference target, collection, the run, the reports.",
    "**3. Sensitivity** (`bench/sensitivity.py`): every mutant under `--profile aws` (where "
    "each declares a deviation), fixed seed, one process, with `bench.plugin` counting "
    "requests as they go out and noting the count when a requirement's first `Failure` is "
    "created. The figure is the smallest count over the declared requirements the final "
    "record marks failed: a `--max-requests` budget of that size, same seed and order, "
    "already shows a failed declared requirement. Detected = every declared requirement "
    "failed (the mutation table's definition).",
    "**4. Schemathesis alone** (`bench/st.py`): `st run spec/openapi/invoke.aws.json` "
    "against the reference or a mutant served in its own process (`python -m bench.serve`, "
    "which counts the requests it answers); `--max-examples` is calibrated on the reference "
    "so that the run sends about as many requests as the suite's quick run. Detected = the "
    "mutant's run reports a failure while the reference run with the same settings reports "
    "none. Run twice: with schemathesis's default checks, and with the checks that fail on "
    "the reference excluded (otherwise no mutant can count as detected).",
    "**5. Growth**: the quick profile with max_examples ×1, ×4, ×16 through `-p "
    "bench.plugin --bench-examples N` (a temporary hypothesis profile registered after "
    "`--hypothesis-profile quick` is loaded; the committed profiles are untouched).",
    "**6. Start-up** (`bench/startup.py`): with `PYTHONDONTWRITEBYTECODE=1`, median of 3. "
    "Collection: `pytest suites --collect-only` timed from outside. First request: the time "
    "from launching `python -m pytest suites` (budget `--max-requests 1`) to the first "
    "request any of its processes sends (`bench.plugin --bench-first-request`).",
    "**7. Slow target** (`bench.walltime.slow_target`): the embedded reference answers every "
    "request 50 ms late (`bench.plugin --bench-delay 0.05`, wrapping its request handler in "
    "the process that hosts it); the plugin sums each request's time in the server, delay "
    "included. wall ÷ Σ latency below 1 means the workers' waits overlapped.",
    "**Load**: every figure carries the 1/5/15-minute load average before it; on this "
    "2-core machine other sessions ran heavy jobs, so absolute seconds are pessimistic and "
    "ratios taken minutes apart are noisy.",
]


def summary_rows(b: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    o = b.get("overhead")
    if o and "ratio" in o:
        rows.append(
            [
                "1. suite time per request ÷ plain loop's (quick, whole mix)",
                f"{o['ratio']:.2f}× ({o['suite_ms_per_request']:.1f} vs "
                f"{o['loop_ms_per_request']:.1f} ms)",
                "≤ 1.5×",
                _yes(o["ratio"] <= 1.5),
                _load(o.get("load_before")),
                o["measured_at"],
            ]
        )
        if o.get("ratio_fast") is not None:
            rows.append(
                [
                    "1b. same, fast requests only (< 0.25 s in both)",
                    f"{o['ratio_fast']:.2f}× ({o['suite_ms_per_fast_request']:.1f} vs "
                    f"{o['loop_ms_per_fast_request']:.1f} ms)",
                    "(≤ 1.5×)",
                    _yes(o["ratio_fast"] <= 1.5),
                    _load(o.get("load_before")),
                    o["measured_at"],
                ]
            )
    w = b.get("walltime")
    if w:
        for run in w["runs"]:
            mode = "1 process" if not run["workers"] else f"-n {run['workers']}"
            rows.append(
                [
                    f"2. wall time, {run['hypothesis_profile']}, {mode}",
                    f"{run['seconds']:.1f} s ({run['requests']} requests"
                    + (f"; CPU {run['cpu_seconds']:.0f} s" if "cpu_seconds" in run else "")
                    + ")",
                    "–",
                    "–",
                    _load(run.get("load_before")),
                    "",
                ]
            )
        for profile, speedup in w["speedup_n2"].items():
            rows.append(
                [
                    f"2. speed-up of -n 2, {profile}",
                    f"{speedup:.2f}×",
                    f"≥ {w.get('goal_speedup_min', 1.5):g}×" if profile == "default" else "–",
                    _yes(speedup >= w.get("goal_speedup_min", 1.5))
                    if profile == "default"
                    else "–",
                    "",
                    "",
                ]
            )
    u = b.get("startup")
    if u:
        rows.append(
            [
                "6. start to first request, 1 process (PYTHONDONTWRITEBYTECODE=1, median)",
                f"{u['first_request_seconds']} s (-n 2: {u['first_request_n2_seconds']} s)",
                f"≤ {u['goal_seconds_max']:g} s",
                _yes(
                    u["first_request_seconds"] is not None
                    and u["first_request_seconds"] <= u["goal_seconds_max"]
                ),
                _load(u.get("load_before")),
                u["measured_at"],
            ]
        )
        rows.append(
            [
                "6. collection alone, `pytest suites --collect-only` (same, median)",
                f"{u['collect_only_seconds']} s",
                "–",
                "–",
                _load(u.get("load_before")),
                u["measured_at"],
            ]
        )
    t = b.get("slow_target")
    if t:
        for run in t["runs"]:
            rows.append(
                [
                    f"7. slow target (+{1000 * t['delay_seconds']:g} ms per answer), "
                    f"{t['hypothesis_profile']}, -n {run['workers']}",
                    f"{run['seconds']:.1f} s wall; Σ target latency "
                    f"{run['latency_sum_seconds']:.1f} s over {run['answered']} answers; "
                    f"wall ÷ Σ latency {run['wall_over_latency']}",
                    "–",
                    "–",
                    _load(run.get("load_before")),
                    "",
                ]
            )
    for profile in ("quick", "default", "thorough"):
        d = b.get(f"detection_{profile}")
        if not d:
            continue
        rows.append(
            [
                f"3. mutants detected, {profile}",
                f"{d['detected']}/{d['applicable']} ({_pct(d['detected_share'])})"
                + ("" if d["reference_clean"] else "; reference NOT clean"),
                "100%" if profile == "quick" else "–",
                _yes(d["detected_share"] == 1.0) if profile == "quick" else "–",
                _load(d.get("load_before")),
                d["measured_at"],
            ]
        )
        if d.get("first_failure_requests"):
            f = d["first_failure_requests"]
            rows.append(
                [
                    f"3. requests until the first declared failure, {profile} (median / p90 / max)",
                    f"{f['median']:g} / {f['p90']:g} / {f['max']:g} "
                    f"(of {d['reference']['total_requests']} in the run)",
                    "–",
                    "–",
                    "",
                    "",
                ]
            )
    for key, label in (
        ("schemathesis", "default checks"),
        ("schemathesis_reference_clean", "checks that pass on the reference"),
    ):
        s = b.get(key)
        if not s:
            continue
        rows.append(
            [
                f"4. schemathesis CLI alone ({label}): mutants detected",
                f"{s['detected']}/{s['applicable']} ({_pct(s['detected_share'])}); "
                f"{s['reported_any_failure']} runs reported failures; reference "
                f"{'clean' if s['reference_clean'] else 'NOT clean'}; "
                f"{s['reference']['requests']} requests (budget {s['budget_requests']}); "
                f"Σ wall {s['wall_seconds_sum']:.0f} s",
                "–",
                "–",
                _load(s.get("load_before")),
                s["measured_at"],
            ]
        )
    d = b.get("detection_quick")
    s = b.get("schemathesis")
    if d:
        rows_by_mutant = {r["mutant"]: r for r in d["mutants"]}
        same = [m["mutant"] for m in (s or {}).get("mutants", [])]
        mine = [rows_by_mutant[m] for m in same if m in rows_by_mutant] or d["mutants"]
        wall = d["reference"].get("seconds", 0.0) + sum(r["seconds"] for r in mine)
        found = sum(1 for r in mine if r["detected"])
        rows.append(
            [
                "4. the suite beside it (quick, the same mutants): mutants detected",
                f"{found}/{len(mine)} ({_pct(found / len(mine) if mine else None)}); "
                f"{d['reference']['total_requests']} requests on the reference; "
                f"Σ wall {wall:.0f} s",
                "–",
                "–",
                _load(d.get("load_before")),
                d["measured_at"],
            ]
        )
    g = b.get("growth")
    if g:
        for run in g["runs"]:
            rows.append(
                [
                    f"5. wall time at max_examples ×{run['factor']} ({run['max_examples']})",
                    f"{run['seconds']:.1f} s (×{run['relative_seconds']:.2f}; "
                    f"{run['requests']} requests, ×{run['relative_requests']:.2f})",
                    "–",
                    "–",
                    _load(run.get("load_before")),
                    "",
                ]
            )
    return rows


def render(store: dict[str, Any]) -> str:
    b = store.get("benchmarks", {})
    m = store.get("machine", {})
    out = [
        "# Benchmarks",
        "",
        "Measured with `python -m bench` (the `bench/` package; `docs/benchmarks.json` holds "
        "every figure with the 1/5/15-minute load average before it). Performance goals are "
        "reported here, never asserted in tests.",
        "",
        f"Machine: `nproc` = {m.get('nproc')}, Python {m.get('python')}, {m.get('platform')}.",
        "",
        "| benchmark | figure | goal | met | load before | measured at (UTC) |",
        "|---|---|---|---|---|---|",
    ]
    out += ["| " + " | ".join(r) + " |" for r in summary_rows(b)]
    out += ["", "## Commands", ""]
    commands = [
        "python -m bench overhead",
        "python -m bench walltime",
        "python -m bench sensitivity --profiles quick",
        "python -m bench sensitivity --profiles default,thorough [--sample N]",
        "python -m bench schemathesis",
        "python -m bench startup",
        "python -m bench slow-target",
        "python -m bench growth",
        "python -m bench profile",
        "python -m bench report",
    ]
    out += ["```sh"] + [f".venv/bin/{c}" for c in commands] + ["```", ""]
    for name, data in b.items():
        if name.endswith("_first"):
            continue  # an earlier measurement kept in the JSON, same commands
        cmd = data.get("command")
        if cmd:
            out.append(f"- `{name}`: `{cmd}`")
        for run in data.get("runs", []):
            if run.get("command"):
                out.append(f"- `{name}`: `{run['command']}`")
    out += ["", "## How each figure is taken", ""] + [f"- {m}" for m in METHODS]
    notes = store.get("notes")
    if notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    out += _details(b)
    return "\n".join(out) + "\n"


def _details(b: dict[str, Any]) -> list[str]:
    out: list[str] = []
    d = b.get("detection_quick")
    s = b.get("schemathesis")
    t = b.get("schemathesis_reference_clean")
    if d:
        st_rows = {r["mutant"]: r for r in (s or {}).get("mutants", [])}
        tt_rows = {r["mutant"]: r for r in (t or {}).get("mutants", [])}
        out += [
            "",
            "## Per mutant (quick, `--profile aws`)",
            "",
            "First: requests sent (in the suite's order, seed fixed) when the first failure "
            "of a declared requirement was observed; all: when the last declared requirement "
            "first failed. st: schemathesis CLI alone (default checks / checks clean on the "
            "reference).",
            "",
            "| mutant | detected | first | all | suite s | st detected | st s |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in d["mutants"]:
            sr = st_rows.get(r["mutant"])
            tr = tt_rows.get(r["mutant"])
            st_det = "–"
            if sr:
                st_det = "yes" if sr["detected"] else "no"
                if tr:
                    st_det += " / " + ("yes" if tr["detected"] else "no")
            out.append(
                f"| `{r['mutant']}` | {_yes(r['detected'])} | "
                f"{r.get('requests_to_first_declared_failure', '–')} | "
                f"{r.get('requests_to_all_declared_failures', '–')} | {r['seconds']:.1f} | "
                f"{st_det} | {sr['seconds'] if sr else '–'} |"
            )
    p = b.get("profile")
    if p:
        out += [
            "",
            "## Profile (pyinstrument, quick)",
            "",
            f"Suite (main thread, {p['suite']['sampled_seconds']:.1f} s sampled; "
            "inclusive seconds, profiler overhead included):",
            "",
            "| where | seconds |",
            "|---|---|",
        ]
        out += [
            f"| {k.replace('  ', '&nbsp;&nbsp;')} | {v:.2f} |"
            for k, v in p["suite"]["inclusive_seconds"].items()
        ]
        out += [
            "",
            f"Reference (request threads, {p['reference']['sampled_seconds']:.1f} s "
            "sampled while a plain loop replayed the run's requests):",
            "",
            "| where | seconds |",
            "|---|---|",
        ]
        out += [
            f"| {k.replace('  ', '&nbsp;&nbsp;')} | {v:.2f} |"
            for k, v in p["reference"]["inclusive_seconds"].items()
        ]
    return out


def write_report(path: Path = JSON_PATH, out: Path = MD_PATH) -> None:
    out.write_text(render(load_store(path)), encoding="utf-8")
