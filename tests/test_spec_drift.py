"""Drift check: the spec against the installed botocore's Invoke model."""

from __future__ import annotations

import copy
from pathlib import Path

import botocore
import pytest

from lambda_conformance.spec import load_raw
from lambda_conformance.spec.__main__ import main
from lambda_conformance.spec.drift import drift, stale_expectations, unexpected
from lambda_conformance.spec.loader import DEFAULT_SPEC_PATH


def test_botocore_is_the_pinned_version() -> None:
    # The expected-drift list is written against this model; an upgrade is a deliberate change.
    assert botocore.__version__ == "1.44.8"


def test_only_expected_differences() -> None:
    raw = load_raw()
    differences = drift(raw)
    assert differences, "the page predates the model: some drift is certain"
    assert [str(d) for d in unexpected(differences)] == []
    assert stale_expectations(raw, differences) == []
    assert all(d.reason for d in differences)


def test_item_names_are_stable() -> None:
    items = {d.item for d in drift(load_raw())}
    assert {
        "FunctionName.max_length",
        "FunctionName.pattern",
        "Qualifier.pattern",
        "ClientContext.max_length",
        "headers.TenantId",
        "headers.DurableExecutionName",
        "response.DurableExecutionArn",
        "response.FunctionError.min_length",
        "errors.SnapStartException.added",
        "errors.ServiceQuotaExceededException.added",
    } <= items
    assert len([i for i in items if i.startswith("errors.") and i.endswith(".added")]) == 19


def test_a_changed_status_is_unexpected(tmp_path: Path) -> None:
    # A broken copy of the spec file, not of the dict: the check must see what the loader sees.
    text = DEFAULT_SPEC_PATH.read_text(encoding="utf-8")
    old = "ResourceNotFoundException: {status: 404,"
    assert old in text
    broken = tmp_path / "invoke.yaml"
    broken.write_text(
        text.replace(old, "ResourceNotFoundException: {status: 400,"), encoding="utf-8"
    )
    bad = unexpected(drift(load_raw(broken)))
    assert [(d.item, d.spec, d.model) for d in bad] == [
        ("errors.ResourceNotFoundException.status", "400", "404")
    ]
    assert "UNEXPECTED errors.ResourceNotFoundException.status: spec 400, model 404" in str(bad[0])


def test_other_kinds_of_drift_are_caught() -> None:
    raw = load_raw()
    broken = copy.deepcopy(raw)
    broken["errors"]["TooManyRequestsException"]["message_key"] = "Message"
    broken["parameters"]["LogType"]["enum"] = ["None", "Tail", "Head"]
    broken["parameters"]["Qualifier"]["max_length"] = 64
    broken["responses"]["headers"]["ExecutedVersion"]["pattern"] = "[0-9]+"
    del broken["parameters"]["ClientContext"]
    broken["operation"]["method"] = "PUT"
    items = {d.item for d in unexpected(drift(broken))}
    assert items == {
        "errors.TooManyRequestsException.message_key",
        "LogType.enum",
        "Qualifier.max_length",
        "response.ExecutedVersion.pattern",
        "headers.ClientContext",
        "operation.method",
    }
    # ClientContext.max_length is now listed but no longer differs.
    assert stale_expectations(broken, drift(broken)) == ["ClientContext.max_length"]


def test_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["drift"]) == 0
    out = capsys.readouterr().out
    assert "0 unexpected; 0 stale expectations." in out
    text = DEFAULT_SPEC_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "invoke.yaml"
    broken.write_text(
        text.replace("ServiceException: {status: 500,", "ServiceException: {status: 503,"),
        encoding="utf-8",
    )
    assert main(["--spec", str(broken), "drift"]) == 1
    assert "UNEXPECTED errors.ServiceException.status" in capsys.readouterr().out


STREAM_SPEC_PATH = DEFAULT_SPEC_PATH.parent / "invoke-with-response-stream.yaml"


def test_stream_document_is_checked_against_its_own_operation() -> None:
    """The streaming document cites the installed model: it is compared with
    InvokeWithResponseStream (its `operation.name`), not with Invoke."""
    raw = load_raw(STREAM_SPEC_PATH)
    differences = drift(raw)
    assert [str(d) for d in unexpected(differences)] == []
    assert stale_expectations(raw, differences) == []
    # Invoke's model has Event and DurableExecutionName; the streaming one has neither, so
    # compared with the wrong operation the enum and the header would differ.
    assert "InvocationType.enum" not in {d.item for d in differences}
    assert "headers.DurableExecutionName" not in {d.item for d in differences}
    # The values the model states are the spec's own (the API page's older 170 is not).
    parameters = raw["parameters"]
    assert parameters["FunctionName"]["max_length"] == 256
    broken = copy.deepcopy(raw)
    broken["parameters"]["FunctionName"]["max_length"] = 170
    assert [d.item for d in unexpected(drift(broken))] == ["FunctionName.max_length"]
    assert main(["--spec", str(STREAM_SPEC_PATH), "drift"]) == 0
