"""What the spec means by JSON and by base64, as predicates."""

from __future__ import annotations

import base64
import binascii
import json


def strict_json(data: bytes) -> bool:
    """RFC 8259 JSON in UTF-8: no NaN or Infinity, which Python's parser alone accepts."""

    def refuse(token: str) -> None:
        raise ValueError(token)

    try:
        json.loads(data.decode("utf-8"), parse_constant=refuse)
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def strict_base64(text: str) -> bytes | None:
    """The bytes of RFC 4648 base64 text (standard alphabet, padded), or None."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        return None
    if len(raw) % 4:
        return None
    try:
        return base64.b64decode(raw, validate=True)
    except binascii.Error:
        return None
