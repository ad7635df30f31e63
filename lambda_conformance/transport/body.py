"""Reading a response body within a byte cap, decompression included."""

from __future__ import annotations

import zlib

_INFLATE_STEP = 256 * 1024


class BodyDecodeError(ValueError):
    """The body does not decode as its Content-Encoding says."""


def _parse_encoding(content_encoding: str | None) -> str:
    """The one coding to undo: "gzip", "deflate", or "" (identity or unknown: kept as is)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip"):
        return "gzip"
    if len(codings) == 1 and codings[0] == "deflate":
        return "deflate"
    # br, zstd or a chain of codings: a Lambda target never sends these unasked
    # (the client sends no Accept-Encoding), so the checks see the raw bytes.
    return ""


def _is_zlib_header(first_two: bytes) -> bool:
    # RFC 1950 §2.2: CM = 8 (deflate) and CMF*256 + FLG divisible by 31.
    cmf, flg = first_two[0], first_two[1]
    return cmf & 0x0F == 8 and (cmf * 256 + flg) % 31 == 0


class CappedBody:
    """Accumulates a body up to `cap` decoded bytes; `feed` says when to stop reading.

    Decompression is bounded too: zlib's `max_length` limits each call's output, so
    a gzip bomb never expands beyond `cap + 1` bytes in memory.
    """

    def __init__(self, cap: int, content_encoding: str | None = None) -> None:
        self.cap = cap
        self.coding = _parse_encoding(content_encoding)
        self.length_seen = 0
        self.truncated = False
        self._data = bytearray()
        self._inflater: zlib._Decompress | None = None
        self._pending = b""  # the first byte of a "deflate" body, until we can tell its kind
        self._fed = False
        if self.coding == "gzip":
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)

    @property
    def body(self) -> bytes:
        return bytes(self._data)

    def head(self, size: int) -> bytes:
        """The first `size` decoded bytes (what is kept of a body over the cap)."""
        return bytes(self._data[:size])

    def feed(self, raw: bytes) -> bool:
        """Add raw (still encoded) bytes; False once the cap is exceeded."""
        if self.truncated or not raw:
            return not self.truncated
        self._fed = True
        if not self.coding:
            self._keep(raw)
            return not self.truncated
        if self.coding == "deflate" and self._inflater is None:
            # "deflate" is meant to be zlib-wrapped (RFC 9110 §8.4.1.2), but some
            # servers send raw RFC 1951 data; the first two bytes tell which.
            raw = self._pending + raw
            if len(raw) < 2:
                self._pending = raw
                return True
            self._pending = b""
            wbits = zlib.MAX_WBITS if _is_zlib_header(raw[:2]) else -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(wbits)
        self._inflate(raw)
        return not self.truncated

    def finish(self) -> None:
        """The raw body ended: flush the decoder and check the coded stream was complete."""
        if not self.coding or self.truncated or not self._fed:
            return
        if self._inflater is None or not self._inflater.eof:
            raise BodyDecodeError(f"{self.coding} body ends before the end of its stream")

    def _keep(self, chunk: bytes) -> None:
        self.length_seen += len(chunk)
        room = self.cap - len(self._data)
        if len(chunk) > room:
            self._data += chunk[:room]
            self.truncated = True
        else:
            self._data += chunk

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        while not self.truncated:
            # Ask for one byte more than fits: that byte proves the body is too large.
            # In steps, so that a bomb never has a cap-sized output and its slice
            # in memory beside the body (a 1 GiB bomb cost 80 MiB of RSS at once).
            limit = min(self.cap + 1 - len(self._data), _INFLATE_STEP)
            try:
                out = self._inflater.decompress(data, limit)
            except zlib.error as exc:
                raise BodyDecodeError(f"invalid {self.coding} body ({exc})") from exc
            self._keep(out)
            if self._inflater.eof and self._inflater.unused_data and self.coding == "gzip":
                # Concatenated gzip members (RFC 1952 §2.2) make one body.
                data = self._inflater.unused_data
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                continue
            data = self._inflater.unconsumed_tail
            if not data and len(out) < limit:
                break  # the input is used up and zlib holds no more output
