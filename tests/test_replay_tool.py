"""tools/replay.py: a record's failures replayed with their own curl commands."""

from __future__ import annotations

import argparse
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


def test_status_is_compared_only_where_the_record_names_one() -> None:
    now = "HTTP/1.1 404 Not Found | X-Amzn-ErrorType: ResourceNotFoundException | {}"
    assert replay.same_status("404 ResourceNotFoundException {...}", now) is True
    assert replay.same_status("200 {}", now) is False
    assert replay.same_status("500 x", "(no answer within 40 s)") is False
    # A header or message the record quotes names no status: nothing to compare.
    assert replay.same_status("X-Amz-Executed-Version None", now) is None
    assert replay.same_status("message 'Rate Exceeded: ...'", now) is None


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


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_replay_tallies_what_it_sent_and_which_statuses_differ(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = argparse.Namespace(rename=[], only=[], per_requirement=1, timeout=20.0)
    with HostileTarget("error500") as target:
        args.url = target.url
        replay._replay_all(_record(), args)  # the record says "500 ...": the same status
        same = capsys.readouterr().out
        record = _record()
        record["requirements"][0]["failures"][0]["received"] = "404 ResourceNotFound..."
        replay._replay_all(record, args)
        other = capsys.readouterr().out
    assert same.rstrip().endswith(
        "== 2 failures: 1 sent, 1 not sent; 1 with a recorded status, 0 of them answered "
        "another status now"), same
    assert "status differs from the record" in other
    assert other.rstrip().endswith("1 of them answered another status now"), other
