"""Event-stream answers: decode with botocore's own parser, then judge the stream's shape.

The body of a streamed 200 is read exactly as boto3 reads it (`botocore.eventstream`), so
a stream this module accepts is one every botocore-based client can consume.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.eventstream import EventStreamBuffer, ParserError

from lambda_conformance.checks.harness import Answer
from lambda_conformance.checks.passive import excerpt
from lambda_conformance.spec.model import EventStream


@dataclass(frozen=True, slots=True)
class StreamMessage:
    """One decoded message: its string headers and its payload."""

    headers: dict[str, Any]
    payload: bytes

    @property
    def event_type(self) -> str | None:
        value = self.headers.get(":event-type")
        return value if isinstance(value, str) else None

    @property
    def message_type(self) -> str | None:
        value = self.headers.get(":message-type")
        return value if isinstance(value, str) else None

    @property
    def content_type(self) -> str | None:
        value = self.headers.get(":content-type")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class DecodedStream:
    """The messages read before the first problem; `problem` says what stopped the read."""

    messages: tuple[StreamMessage, ...]
    problem: str | None


def decode_stream(body: bytes) -> DecodedStream:
    """Every whole message of `body`; a framing error or trailing bytes are the problem."""
    buffer = EventStreamBuffer()
    buffer.add_data(body)
    messages: list[StreamMessage] = []
    try:
        for message in buffer:
            messages.append(StreamMessage(dict(message.headers), bytes(message.payload)))
    except ParserError as error:
        return DecodedStream(tuple(messages), f"{type(error).__name__}: {error}")
    # botocore keeps an incomplete message back for the next read; at the end of the body
    # there is no next read, so what remains is a truncated message.
    # botocore exposes the kept-back bytes only as this attribute.
    rest = len(buffer._data)
    if rest:
        return DecodedStream(tuple(messages), f"{rest} bytes after the last whole message")
    return DecodedStream(tuple(messages), None)


def shape_problem(decoded: DecodedStream, shape: EventStream) -> str | None:
    """The first message that is not an event of a type the operation defines."""
    for index, message in enumerate(decoded.messages):
        if message.message_type != "event":
            return f"message {index} has :message-type {message.message_type!r}"
        if message.event_type not in shape.events:
            return f"message {index} has :event-type {message.event_type!r}"
    return None


@dataclass(frozen=True, slots=True)
class StreamReading:
    """A judged stream: its messages, the operation's stream shape, and the answer."""

    answer: Answer
    shape: EventStream
    messages: tuple[StreamMessage, ...]

    def of_type(self, event_type: str) -> tuple[StreamMessage, ...]:
        return tuple(m for m in self.messages if m.event_type == event_type)

    def payload(self, event_type: str) -> bytes:
        """The payloads of `event_type`'s events, joined in the order they came."""
        return b"".join(m.payload for m in self.of_type(event_type))

    def final(self, requirement_id: str) -> dict[str, Any]:
        """The members of the one final event, judged: exactly one, and last."""
        final = self.shape.final_event
        found = [i for i, m in enumerate(self.messages) if m.event_type == final]
        types = [m.event_type for m in self.messages]
        self.answer.check(
            requirement_id,
            len(found) == 1 and found[0] == len(self.messages) - 1,
            title=f"{final} event",
            expected=f"exactly one {final} event, the last message",
            received=f"event types {types}",
        )
        payload = self.messages[found[0]].payload
        try:
            members = json.loads(payload) if payload else {}
        except ValueError:
            members = None
        self.answer.check(
            requirement_id,
            isinstance(members, dict),
            title=f"{final} members",
            expected=f"a JSON object of {', '.join(self.shape.events[final].members)}",
            received=excerpt(payload, 200),
        )
        assert isinstance(members, dict)
        return members


def read_stream(
    answer: Answer, shape: EventStream, frame: str | tuple[str, ...], kinds: str
) -> StreamReading:
    """The answer's body as a stream: whole, checksummed messages (`frame`), each an event
    of a defined type (`kinds`). Each rule fails under its own requirement."""
    decoded = decode_stream(answer.body)
    answer.check(
        frame,
        decoded.problem is None,
        title="Event-stream framing",
        expected="whole event-stream messages with correct lengths and CRC32s",
        received=f"{decoded.problem} (after {len(decoded.messages)} messages); "
        f"Content-Type {answer.header('Content-Type')!r}, body {excerpt(answer.body, 120)}",
    )
    problem = shape_problem(decoded, shape)
    answer.check(
        kinds,
        problem is None,
        title="Event types",
        expected=f"events of the types {', '.join(shape.events)}",
        received=problem or "",
    )
    return StreamReading(answer, shape, decoded.messages)
