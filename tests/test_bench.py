"""Smoke tests of the benchmark code (bench/): fast, no suite runs, no timings asserted."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from bench import common, report, sensitivity, st
from bench.__main__ import main
from bench.overhead import Sent, _wire_headers, replay
from bench.profiling import aggregate


class _Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, str, bytes, str]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Echo.seen.append((self.command, self.path, body, self.headers.get("X-Amz-Log-Type", "")))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


def test_replay_sends_the_recorded_mix_as_recorded() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        path = "/2015-03-31/functions/a%3Ab/invocations?Qualifier=%24LATEST"
        mix = [
            Sent("POST", base + path, (("X-Amz-Log-Type", "Tail"),), b'{"a":1}', 0.01),
            Sent("POST", base + path, (), b"", 0.01),
        ]
        result = replay(mix)
    finally:
        server.shutdown()
        server.server_close()
    assert result["errors"] == 0
    assert len(result["per_request"]) == 2
    assert _Echo.seen[-2:] == [
        ("POST", path, b'{"a":1}', "Tail"),
        ("POST", path, b"", ""),
    ]


def test_wire_headers_join_repeated_names() -> None:
    assert _wire_headers((("X-A", "1"), ("x-a", "2"), ("B", "3"))) == {"X-A": "1,2", "B": "3"}


def test_aggregate_counts_a_sample_once_per_label() -> None:
    stack = [
        "send\x00/x/lambda_conformance/transport/client.py\x0010",
        "sign\x00/x/lambda_conformance/transport/signing.py\x005",
        "sign\x00/x/lambda_conformance/transport/signing.py\x006",
    ]
    watch = {"send": ("send", "transport/client.py"), "sign": ("sign", "transport/signing.py")}
    result = aggregate([(stack, 0.5), (stack[:1], 0.25)], watch)
    assert result["inclusive_seconds"] == {"send": 0.75, "sign": 0.5}
    assert result["sampled_seconds"] == 0.75


def test_schemathesis_output_parsing() -> None:
    assert st._failure_count('<testsuites errors="1" failures="2">', "") == 3
    assert st._failure_count("", "== 4 failures in 2s ==") == 4
    events = (
        '{"name":"positive_data_acceptance","status":"failure"},{"name":"x","status":"success"}'
    )
    assert st._FAILED_CHECK.findall(events) == ["positive_data_acceptance"]
    assert "--exclude-checks a,b" in st.shown_st(5, 1, ("a", "b"))


def test_summary_and_suite_command() -> None:
    assert sensitivity._summary([5, 1, 3]) == {"min": 1, "median": 3, "p90": 5, "max": 5}
    command = common.suite_command(report_dir="R", workers=2, mutant="m")
    assert command[:4] == [common.PYTHON, "-m", "pytest", "suites"]
    assert ["-n", "2"] == command[command.index("-n") : command.index("-n") + 2]
    assert "--reference-mutant" in command


def _store() -> dict:
    mutant = {
        "mutant": "m",
        "declared": ["R-1"],
        "failed": ["R-1"],
        "detected": True,
        "any_declared_failed": True,
        "total_requests": 9,
        "seconds": 1.0,
        "requests_to_first_declared_failure": 3,
        "requests_to_all_declared_failures": 3,
    }
    return {
        "machine": {"nproc": 2, "python": "3.11", "platform": "linux"},
        "benchmarks": {
            "overhead": {
                "measured_at": "t",
                "load_before": [1.0, 2.0, 3.0],
                "ratio": 1.2,
                "suite_ms_per_request": 12.0,
                "loop_ms_per_request": 10.0,
                "ratio_fast": 2.0,
                "suite_ms_per_fast_request": 4.0,
                "loop_ms_per_fast_request": 2.0,
                "command": "python -m bench overhead",
            },
            "walltime": {
                "runs": [
                    {
                        "hypothesis_profile": "quick",
                        "workers": 0,
                        "seconds": 10.0,
                        "requests": 9,
                        "load_before": [1.0],
                        "command": "c1",
                    },
                    {
                        "hypothesis_profile": "quick",
                        "workers": 2,
                        "seconds": 6.0,
                        "requests": 9,
                        "load_before": [1.0],
                        "command": "c2",
                    },
                ],
                "speedup_n2": {"quick": 1.667, "default": 1.4},
                "goal_speedup_min": 1.5,
            },
            "startup": {
                "measured_at": "t",
                "load_before": [0.5],
                "first_request_seconds": 2.5,
                "first_request_n2_seconds": 4.0,
                "collect_only_seconds": 2.0,
                "goal_seconds_max": 3.0,
            },
            "slow_target": {
                "delay_seconds": 0.05,
                "hypothesis_profile": "quick",
                "runs": [
                    {
                        "workers": 2,
                        "seconds": 8.0,
                        "answered": 100,
                        "latency_sum_seconds": 10.0,
                        "wall_over_latency": 0.8,
                        "load_before": [0.5],
                    }
                ],
            },
            "detection_quick": {
                "measured_at": "t",
                "load_before": [1.0],
                "detected": 1,
                "applicable": 1,
                "detected_share": 1.0,
                "reference_clean": True,
                "wall_seconds_sum": 2.0,
                "reference": {"total_requests": 9},
                "mutants": [mutant],
                "first_failure_requests": {"min": 3, "median": 3, "p90": 3, "max": 3},
            },
        },
    }


def test_report_renders_the_summary_table(tmp_path: Path) -> None:
    text = report.render(_store())
    assert "| 1. suite time per request ÷ plain loop's (quick, whole mix) | 1.20×" in text
    assert "| 2. speed-up of -n 2, quick | 1.67× | – | – |" in text
    assert "| 2. speed-up of -n 2, default | 1.40× | ≥ 1.5× | **no** |" in text
    assert (
        "| 6. start to first request, 1 process" in text
        and "2.5 s (-n 2: 4.0 s) | ≤ 3 s | yes" in text
    )
    assert (
        "-n 2 | 8.0 s wall; Σ target latency 10.0 s over 100 answers; wall ÷ Σ latency 0.8" in text
    )
    assert "| 3. mutants detected, quick | 1/1 (100%) | 100% | yes |" in text
    assert "`nproc` = 2" in text


def test_cli_report_writes_where_told(tmp_path: Path) -> None:
    store = tmp_path / "b.json"
    store.write_text(json.dumps(_store()), encoding="utf-8")
    md = tmp_path / "b.md"
    assert main(["--json", str(store), "--md", str(md), "report"]) == 0
    assert md.read_text(encoding="utf-8").startswith("# Benchmarks")


_PLUGIN_TEST = """
from hypothesis import given, settings, strategies as st

from lambda_conformance.checks.failure import Failure

CALLS = []


@given(st.integers())
def test_counts(x):
    CALLS.append(x)


def test_examples_and_failure():
    assert settings().max_examples == 7
    assert len(CALLS) <= 7
    Failure("R-1", "t", "e", "r", "mismatch", None, "curl", None)
"""


def test_plugin_sets_examples_and_traces_failures(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "test_p.py").write_text(_PLUGIN_TEST, encoding="utf-8")
    trace = tmp_path / "trace.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "bench.plugin",
            "--bench-examples",
            "7",
            "--bench-trace",
            str(trace),
            "test_p.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ, PYTHONPATH=str(common.ROOT), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(trace.read_text(encoding="utf-8"))
    assert data["first_failure_after_requests"] == {"R-1": 0}
