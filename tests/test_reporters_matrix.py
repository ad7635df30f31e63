"""The comparison matrix and the reporters' command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_results_support import demo_record, hostile_record

from lambda_conformance.reporters.__main__ import main
from lambda_conformance.reporters.matrix import (
    columns,
    render_matrix_html,
    render_matrix_markdown,
    rows,
)
from lambda_conformance.results import write_record


def two_implementations() -> list[dict[str, object]]:
    reference = demo_record(target_url="http://reference:9001")
    emulator = demo_record(target_url="http://emulator:4566", finished_at="2026-03-02T08:00:00Z")
    emulator["profile"] = "documented"
    # The emulator's run has DEMO-001 failing, and lacks DEMO-006 (another spec version).
    emulator["requirements"][0]["status"] = "failed"
    emulator["requirements"] = [r for r in emulator["requirements"] if r["id"] != "DEMO-006"]
    emulator["score"] = 0.25
    return [reference, emulator]


def test_matrix_rows_and_columns() -> None:
    cols = columns(two_implementations())
    assert [c.label for c in cols] == ["reference:9001", "emulator:4566"]
    table = {r.id: [c.symbol for c in r.cells] for r in rows(cols)}
    assert table["DEMO-001"] == ["✓", "✗"]
    assert table["DEMO-005"] == ["⚠", "⚠"]
    assert table["DEMO-006"] == ["✓", "n/a"]
    assert table["DEMO-007"] == ["n/t", "n/t"]
    assert len(table) == 7


def test_matrix_markdown() -> None:
    text = render_matrix_markdown(two_implementations(), ["reference", None])
    lines = text.splitlines()
    assert "| Requirement | reference | emulator\\:4566 |" in lines
    assert "| **Score** | 39.13% | 25.00% |" in lines
    assert "| **Profile** | aws | documented |" in lines
    assert "| **Date** | 2026-03-01 | 2026-03-02 |" in lines
    assert "| DEMO-001 MUST: Statement of DEMO-001. | ✓ | ✗ |" in lines
    assert "| DEMO-006 MAY: Statement of DEMO-006. | ✓ | n/a |" in lines


def _with_operations(record: dict[str, object], scores: dict[str, float]) -> dict[str, object]:
    record["operations"] = {
        key: {"score": score, "score_must": score, "score_should": None, "score_may": None,
              "coverage": 1.0, "totals": {}}
        for key, score in scores.items()}
    return record


def test_matrix_has_a_score_row_per_operation() -> None:
    reference, emulator = two_implementations()
    records = [_with_operations(reference, {"invoke": 1.0, "stream": 0.5}),
               _with_operations(emulator, {"invoke": 0.25})]  # ran --operations invoke
    lines = render_matrix_markdown(records).splitlines()
    assert "| **Score: invoke** | 100.00% | 25.00% |" in lines
    assert "| **Score: stream** | 50.00% | – |" in lines
    html = render_matrix_html(records)
    assert "<tr><th>Score: stream</th><td>50.00%</td><td>–</td></tr>" in html
    # One operation judged by every run: its score is the record's, no extra row.
    single = [_with_operations(r, {"invoke": 0.5}) for r in two_implementations()]
    assert not any("Score: " in line for line in render_matrix_markdown(single).splitlines())


def test_matrix_duplicate_labels_stay_distinct() -> None:
    record = demo_record()
    assert [c.label for c in columns([record, record])] == ["127.0.0.1:9001",
                                                            "127.0.0.1:9001 #2"]


def test_matrix_html_escapes_labels() -> None:
    html = render_matrix_html([hostile_record(), demo_record()])
    assert "<img" not in html
    assert "script-src &#39;none&#39;; style-src &#39;sha256-" in html
    assert "<th>evil.example:8080</th>" in html


def test_cli_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> None:
    record_path = write_record(demo_record(), tmp_path / "latest")
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["render", str(record_path), "--out", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["badge.json", "badge.svg", "junit.xml", "report.html", "summary.md"]
    assert summary.read_text(encoding="utf-8").startswith(
        "earlier step\n## Lambda Invoke conformance: 39.13%")
    assert str(tmp_path / "out" / "junit.xml") in capsys.readouterr().out


def test_cli_matrix(tmp_path: Path) -> None:
    paths = []
    for index, record in enumerate(two_implementations()):
        paths.append(str(write_record(record, tmp_path / f"r{index}")))
    assert main(["matrix", *paths, "--out", str(tmp_path / "m"), "--label", "ref"]) == 0
    text = (tmp_path / "m" / "matrix.md").read_text(encoding="utf-8")
    assert "| Requirement | ref | emulator\\:4566 |" in text
    assert (tmp_path / "m" / "matrix.html").exists()


def test_cli_bad_record_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "results.json"
    bad.write_text(json.dumps({"schema_version": "1.0"}), encoding="utf-8")
    assert main(["render", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: (top level): ")
    assert err.count("\n") == 1
