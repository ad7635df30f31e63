"""Where the time goes: pyinstrument profiles of the suite and of the reference target.

Suite: the quick run in this process under pyinstrument (the main thread, where tests
run and send their requests). Reference: the same request mix (recorded from that run)
replayed by a plain loop against a fresh reference target in this process whose
request-handling threads each run under their own pyinstrument profiler.

Figures are inclusive seconds of a watch list of functions (each sample counted once per
function, however deep it recurs), plus the functions with the most self time.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections import defaultdict
from typing import Any

from bench.common import SEED, load_average, now, pytest_args
from bench.overhead import Recorder, replay

INTERVAL = 0.001

# label -> (function name, path fragment); a sample counts under every label on its stack.
SUITE_WATCH: dict[str, tuple[str, str]] = {
    "pytest startup to end of collection": ("pytest_collection", "_pytest/main.py"),
    "  import of the schemathesis suite module": ("<module>", "suites/test_schemathesis.py"),
    "reference target start (in configure)": ("start", "reference/target.py"),
    "spec loading (load_spec)": ("load_spec", "lambda_conformance/spec/"),
    "test phase (pytest_runtestloop)": ("pytest_runtestloop", "_pytest/main.py"),
    "  schemathesis coverage cases (iter_coverage_cases)": ("iter_coverage_cases", "schemathesis/"),
    "  hypothesis engine (ConjectureRunner.run)": ("run", "hypothesis/internal/conjecture/engine"),
    "  strategy building (Strategies.__init__)": ("__init__", "generation/strategies.py"),
    "  Harness.invoke (oracle, render, send, passive checks)": ("invoke", "checks/harness.py"),
    "    Client.send": ("send", "transport/client.py"),
    "      HTTP exchange (Client._exchange)": ("_exchange", "transport/client.py"),
    "      signing (transport.signing.sign)": ("sign", "transport/signing.py"),
    "      redaction of the response (_redacted)": ("_redacted", "transport/client.py"),
    "    rendering (invoke_request.render)": ("render", "transport/invoke_request.py"),
    "    oracle (Oracle.expect)": ("expect", "checks/oracle.py"),
    "    passive checks (passive_verdicts)": ("passive_verdicts", "checks/passive.py"),
    "  failure description (curl_command)": ("curl_command", "transport/curl.py"),
    "  waiting for async callbacks (BeaconListener.wait_for)": ("wait_for", "checks/beacon.py"),
    "  boto3 control-plane client (ControlPlane.__init__)": ("__init__", "plugins/target.py"),
    "session finish (record and reports)": ("pytest_sessionfinish", "plugins/reporting.py"),
}

REFERENCE_WATCH: dict[str, tuple[str, str]] = {
    "request handling (_Handler._serve)": ("_serve", "reference/server.py"),
    "  reading the body (read_body)": ("read_body", "reference/server.py"),
    "  routing (Router._route)": ("_route", "reference/server.py"),
    "  invoke service (InvokeService)": ("", "reference/invoke.py"),
    "  validation (reference/validation.py)": ("", "reference/validation.py"),
    "  runtime: running the function in a worker (reference/runtime.py)": (
        "",
        "reference/runtime.py",
    ),
    "    worker pipe I/O (reference/workers.py)": ("", "reference/workers.py"),
    "  writing the response (_Handler._write)": ("_write", "reference/server.py"),
}


def _parse(frame: str) -> tuple[str, str]:
    name, _, rest = frame.partition("\x00")
    path = rest.split("\x00", 1)[0]
    return name, path


def aggregate(
    records: list[tuple[list[str], float]], watch: dict[str, tuple[str, str]], top: int = 15
) -> dict[str, Any]:
    inclusive: dict[str, float] = defaultdict(float)
    self_time: dict[str, float] = defaultdict(float)
    total = 0.0
    for stack, seconds in records:
        total += seconds
        parsed = [_parse(f) for f in stack]
        for label, (name, fragment) in watch.items():
            if any((not name or n == name) and fragment in p for n, p in parsed):
                inclusive[label] += seconds
        if parsed:
            name, path = parsed[-1]
            short = path.split("site-packages/")[-1].split("/work/main/")[-1]
            self_time[f"{name} ({short})"] += seconds
    return {
        "sampled_seconds": round(total, 3),
        "inclusive_seconds": {k: round(inclusive[k], 3) for k in watch},
        "top_self_seconds": [
            [k, round(v, 3)] for k, v in sorted(self_time.items(), key=lambda kv: -kv[1])[:top]
        ],
    }


def profile_suite(
    hypothesis_profile: str = "quick", spec_profile: str = "aws", seed: int = SEED
) -> tuple[dict[str, Any], list[Any]]:
    import pytest
    from pyinstrument import Profiler

    recorder = Recorder(replays=0)
    report_dir = tempfile.mkdtemp(prefix="lc-bench-profile-")
    args = pytest_args(
        hypothesis_profile=hypothesis_profile,
        spec_profile=spec_profile,
        report_dir=report_dir,
        seed=seed,
    )
    recorder.install()
    profiler = Profiler(interval=INTERVAL)
    before = load_average()
    started = time.perf_counter()
    profiler.start()
    try:
        pytest.main(args, plugins=[recorder])
    finally:
        session = profiler.stop()
        recorder.uninstall()
        shutil.rmtree(report_dir, ignore_errors=True)
    result = aggregate(session.frame_records, SUITE_WATCH)
    result.update(
        {
            "measured_at": now(),
            "load_before": before,
            "load_after": load_average(),
            "wall_seconds_profiled": round(time.perf_counter() - started, 3),
            "requests": len(recorder.sent),
        }
    )
    return result, recorder.sent


def profile_reference(mix: list[Any], spec_profile: str = "aws") -> dict[str, Any]:
    from pyinstrument import Profiler

    from lambda_conformance.reference import server as server_module
    from lambda_conformance.reference.target import ReferenceTarget

    records: list[tuple[list[str], float]] = []
    lock = threading.Lock()
    original = server_module._Handler._serve

    def serve(self: Any) -> None:
        profiler = Profiler(interval=INTERVAL)
        profiler.start()
        try:
            original(self)
        finally:
            session = profiler.stop()
            with lock:
                records.extend(session.frame_records)

    server_module._Handler._serve = serve  # type: ignore[method-assign]
    before = load_average()
    try:
        with ReferenceTarget(profile=spec_profile) as target:
            base = target.url
            moved = [_rebase(item, base) for item in mix]
            loop = replay(moved)
            target.wait_for_events(10)
    finally:
        server_module._Handler._serve = original  # type: ignore[method-assign]
    result = aggregate(records, REFERENCE_WATCH)
    result.update(
        {
            "measured_at": now(),
            "load_before": before,
            "load_after": load_average(),
            "requests": len(mix),
            "loop_seconds_profiled": round(loop["seconds"], 3),
        }
    )
    return result


def _rebase(item: Any, base: str) -> Any:
    from dataclasses import replace
    from urllib.parse import urlsplit

    parts = urlsplit(item.url)
    rest = item.url[len(f"{parts.scheme}://{parts.netloc}") :]
    return replace(item, url=base + rest)


def measure(hypothesis_profile: str = "quick") -> dict[str, Any]:
    suite, mix = profile_suite(hypothesis_profile)
    reference = profile_reference(mix)
    return {
        "hypothesis_profile": hypothesis_profile,
        "command": "python -m bench profile",
        "suite": suite,
        "reference": reference,
    }
