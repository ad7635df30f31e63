"""Reading and writing results.json: validated against its schema, written atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

SCHEMA_PATH = Path(__file__).with_name("schema") / "results.schema.json"
DEFAULT_REPORT_DIR = Path("reports") / "latest"
RECORD_NAME = "results.json"

_DEFAULT_PORTS = {"http": 80, "https": 443}


class RecordError(ValueError):
    """A results.json that cannot be used; the message is one paragraph naming file and field."""


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _field(error: ValidationError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "(top level)"


def validate_record(record: Any, source: str = "results.json") -> None:
    """Raise RecordError naming `source` and the first offending field unless `record` fits."""
    error = best_match(_validator().iter_errors(record))
    if error is not None:
        message = error.message
        if len(message) > 300:  # a whole offending object can be quoted; keep one paragraph
            message = message[:300] + "…"
        text = f"{source}: {_field(error)}: {message}"
        raise RecordError(" ".join(text.split()))


def load_record(path: str | Path) -> dict[str, Any]:
    """Read and validate a results.json; raises RecordError naming the file and the field."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RecordError(f"{source}: cannot read the record: {error.strerror or error}") \
            from None
    except UnicodeDecodeError:
        raise RecordError(f"{source}: the record is not UTF-8 text") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(
            f"{source}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    if isinstance(record, dict) and record.get("schema_version") not in (None, "1.0"):
        raise RecordError(
            f"{source}: schema_version: this suite reads version 1.0 records, "
            f"got {record.get('schema_version')!r} (render it with the suite that wrote it)"
        )
    validate_record(record, source)
    assert isinstance(record, dict)  # the schema's top level is an object
    return record


def run_dir_name(record: dict[str, Any]) -> str:
    """`<target-host-port>-<YYYYmmddTHHMMSSZ>`: where the copy of one run is kept."""
    parts = urlsplit(record["target_url"])
    host = parts.hostname or "unknown-target"
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a malformed port must not stop the record from being written
        port = None
    # IPv6 colons and anything else a file system may dislike become dashes.
    name = re.sub(r"[^A-Za-z0-9.]+", "-", host if port is None else f"{host}-{port}")
    stamp = re.sub(r"[^0-9T]", "", record["started_at"].split(".")[0].replace("+00:00", ""))
    return f"{name.strip('-')}-{stamp}Z"


def write_text_atomically(path: Path, text: str) -> None:
    # Write beside the target then rename, so a reader (or a crash) never sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_record(record: dict[str, Any], report_dir: str | Path = DEFAULT_REPORT_DIR) -> Path:
    """Validate `record`, write `<report_dir>/results.json` and a copy under `runs/`.

    The copy goes to `<report_dir>/../runs/<host-port>-<timestamp>/results.json`
    (`reports/runs/...` for the default `reports/latest`), so older runs survive
    the next one. Returns the path of the primary file.
    """
    validate_record(record, "record to write")
    # ensure_ascii keeps lone surrogates from the target as \\udXXX escapes: writable, loadable.
    text = json.dumps(record, indent=2, ensure_ascii=True) + "\n"
    primary = Path(report_dir) / RECORD_NAME
    write_text_atomically(primary, text)
    runs = Path(report_dir).resolve().parent / "runs"
    base = run_dir_name(record)
    copy_dir = runs / base
    suffix = 2
    while (copy_dir / RECORD_NAME).exists():  # two runs within one second
        copy_dir = runs / f"{base}-{suffix}"
        suffix += 1
    write_text_atomically(copy_dir / RECORD_NAME, text)
    return primary
