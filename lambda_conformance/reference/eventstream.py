"""Encode application/vnd.amazon.eventstream messages (the reference's streamed answers).

No maintained Python package encodes this framing (botocore only decodes it), so the
encoder stays this small and `tests/test_reference_stream.py` decodes its output with
botocore's own `EventStreamBuffer`, the parser every boto3 client uses.

A message: a 12-byte prelude (total length and headers length, big-endian uint32, then the
CRC32 of those 8 bytes), the headers, the payload, and the CRC32 of everything before.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

# Header value type 7: a UTF-8 string with a 2-byte big-endian length.
_STRING = 7
_PRELUDE = struct.Struct(">II")


def encode_headers(headers: Iterable[tuple[str, str]]) -> bytes:
    """String headers in the event-stream header encoding."""
    out = bytearray()
    for name, value in headers:
        raw_name, raw_value = name.encode("utf-8"), value.encode("utf-8")
        out += struct.pack(">B", len(raw_name)) + raw_name
        out += struct.pack(">BH", _STRING, len(raw_value)) + raw_value
    return bytes(out)


def encode_message(headers: Iterable[tuple[str, str]], payload: bytes = b"") -> bytes:
    """One whole message: prelude, prelude CRC, headers, payload, message CRC."""
    encoded = encode_headers(headers)
    total = _PRELUDE.size + 4 + len(encoded) + len(payload) + 4
    prelude = _PRELUDE.pack(total, len(encoded))
    head = prelude + struct.pack(">I", zlib.crc32(prelude))
    body = head + encoded + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event(event_type: str, payload: bytes, content_type: str | None = None) -> bytes:
    """An event message as AWS's restJson1 event streams frame one."""
    headers = [(":event-type", event_type)]
    if content_type is not None:
        headers.append((":content-type", content_type))
    headers.append((":message-type", "event"))
    return encode_message(headers, payload)
