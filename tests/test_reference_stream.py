"""The reference's InvokeWithResponseStream: frames botocore decodes, and boto3 reads whole."""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.reference import ReferenceTarget
from lambda_conformance.reference.eventstream import encode_message, event

REGION = "us-east-1"
ECHO = "conformance-echo"

header_names = st.text(min_size=1, max_size=20).filter(lambda n: len(n.encode()) < 256)
header_values = st.text(max_size=60)


@given(
    headers=st.lists(st.tuples(header_names, header_values), max_size=5, unique_by=lambda h: h[0]),
    payload=st.binary(max_size=2000),
)
def test_botocore_decodes_every_message_the_encoder_writes(
    headers: list[tuple[str, str]], payload: bytes
) -> None:
    buffer = EventStreamBuffer()
    buffer.add_data(encode_message(headers, payload) * 2)
    decoded = list(buffer)
    assert len(decoded) == 2
    for message in decoded:
        assert message.headers == dict(headers)
        assert message.payload == payload


def test_botocore_rejects_a_flipped_crc() -> None:
    frame = bytearray(event("PayloadChunk", b"abc", "application/octet-stream"))
    frame[-1] ^= 0xFF
    buffer = EventStreamBuffer()
    buffer.add_data(bytes(frame))
    with pytest.raises(ChecksumMismatch):
        list(buffer)


def test_prelude_states_the_lengths() -> None:
    frame = event("InvokeComplete", b"{}", "application/json")
    total, headers_length = struct.unpack(">II", frame[:8])
    assert total == len(frame)
    assert headers_length == len(frame) - 16 - 2


@pytest.fixture(scope="module")
def target() -> Iterator[ReferenceTarget]:
    with ReferenceTarget(profile="documented") as running:
        yield running


@pytest.fixture(scope="module")
def client(target: ReferenceTarget) -> Any:
    return boto3.client(
        "lambda",
        endpoint_url=target.url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 0}),
    )


def _read(response: dict[str, Any]) -> tuple[bytes, list[dict[str, Any]]]:
    chunks: list[bytes] = []
    completes: list[dict[str, Any]] = []
    for item in response["EventStream"]:
        if "PayloadChunk" in item:
            chunks.append(item["PayloadChunk"]["Payload"])
        if "InvokeComplete" in item:
            completes.append(item["InvokeComplete"])
    return b"".join(chunks), completes


def test_boto3_reads_the_whole_stream(client: Any) -> None:
    payload = {"text": "x" * 300, "n": [1, 2, 3]}
    response = client.invoke_with_response_stream(
        FunctionName=ECHO, Payload=json.dumps(payload).encode()
    )
    assert response["StatusCode"] == 200
    assert response["ExecutedVersion"] == "$LATEST"
    body, completes = _read(response)
    assert json.loads(body) == payload
    assert len(completes) == 1 and not completes[0].get("ErrorCode")


def test_boto3_reads_a_function_error_in_invoke_complete(client: Any) -> None:
    response = client.invoke_with_response_stream(FunctionName="conformance-fail", Payload=b"{}")
    assert response["StatusCode"] == 200
    body, completes = _read(response)
    assert body == b""
    assert len(completes) == 1 and completes[0]["ErrorCode"]


def test_boto3_reads_the_log_tail(client: Any) -> None:
    response = client.invoke_with_response_stream(
        FunctionName="conformance-log", Payload=b'{"lines": 3}', LogType="Tail"
    )
    _, completes = _read(response)
    log = base64.b64decode(completes[0]["LogResult"], validate=True)
    assert 0 < len(log) <= 4096


def test_boto3_dry_run_is_204(client: Any) -> None:
    response = client.invoke_with_response_stream(
        FunctionName=ECHO, InvocationType="DryRun", Payload=b"{}"
    )
    assert response["StatusCode"] == 204


def test_boto3_raises_the_modeled_error_for_an_absent_function(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.invoke_with_response_stream(FunctionName="conformance-absent", Payload=b"{}")


def test_an_event_invocation_is_rejected_as_a_json_error(client: Any) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.invoke_with_response_stream(FunctionName=ECHO, InvocationType="Event")
    metadata = caught.value.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 400
    assert metadata["HTTPHeaders"]["content-type"] == "application/json"
