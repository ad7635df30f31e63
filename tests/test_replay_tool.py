"""tools/replay.py: a record's failures replayed with their own curl commands."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.hostile.server import HostileTarget
from tools import replay

CURL = ("curl -i -sS -X POST --max-time 5 --aws-sigv4 aws:amz:us-east-1:lambda --user "
        "\"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" -H Content-Type: --data-binary '{}' "
        "http://127.0.0.1:1/2015-03-31/functions/lc-0123abcd-echo/invocations")


def _record() -> dict[str, Any]:
    def failure(rid: str) -> dict[str, Any]:
        return {"requirement_id": rid, "expected": "404 ResourceNotFoundException",
                "received": "500 ...", "request": {"body_preview": "{}"}, "curl": CURL}

    return {
        "target_url": "http://127.0.0.1:1",
        "requirements": [
            {"id": "INV-NAME-005", "status": "failed", "failures": [failure("INV-NAME-005")]},
            {"id": "INV-ASYNC-003", "status": "failed", "failures": [failure("INV-ASYNC-003")]},
            {"id": "INV-TYPE-001", "status": "passed", "failures": []},
        ],
    }


def test_plan_moves_the_commands_to_the_new_target() -> None:
    plans = replay.plan(_record(), "http://127.0.0.1:4567/", [("lc-0123abcd-", "lc-feedbeef-")])
    assert [p.requirement for p in plans] == ["INV-NAME-005", "INV-ASYNC-003"]
    first = plans[0]
    assert first.command is not None and first.why_not_sent is None
    assert "http://127.0.0.1:4567/2015-03-31/functions/lc-feedbeef-echo/invocations" in (
        first.command)
    assert "127.0.0.1:1/" not in first.command
    # Judged by the suite's beacon listener: a bare curl cannot stand in for it.
    assert plans[1].why_not_sent is not None


def test_summary_keeps_the_final_response_after_a_100_continue() -> None:
    raw = ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nX-Amzn-ErrorType: "
           "ResourceNotFoundException\r\nServer: x\r\n\r\n{\"Type\":\"User\"}")
    summary = replay.summarize(raw)
    assert summary.startswith("HTTP/1.1 404 Not Found | X-Amzn-ErrorType: ResourceNotFound")
    assert "Server" not in summary and summary.endswith('{"Type":"User"}')


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_replay_runs_the_curl_against_a_live_target() -> None:
    with HostileTarget("error500") as target:
        (plan, _) = replay.plan(_record(), target.url, [])
        assert plan.command is not None
        answer = replay.run_curl(plan.command, timeout=20)
    assert answer.startswith("HTTP/1.1 500"), answer
    assert "ServiceException" in answer


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_replay_output_never_shows_the_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "AKIAREPLAYCANARY0001"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "replay-canary-secret-not-real")
    with HostileTarget("echo_headers") as target:  # echoes the request headers back
        (plan, _) = replay.plan(_record(), target.url, [])
        assert plan.command is not None
        answer = replay.run_curl(plan.command, timeout=20)
    assert answer.startswith("HTTP/1.1"), answer
    assert key not in answer
