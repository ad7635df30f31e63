"""FunctionName forms: split a name, partial ARN or full ARN into its parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The structure of every form the spec's pattern admits: optional `arn:<partition>:lambda:`,
# region, account and `function:` prefixes, the name, an optional `:qualifier`. Validation
# against the spec's own pattern happens before (step 1); this only takes a valid name apart,
# the way the pattern's groups do (GT-012: `arn:…:function` is a partial ARN named `function`).
_STRUCTURE = re.compile(
    r"(?:arn:(?P<partition>[^:]*):lambda:)?"
    r"(?:(?P<region>[a-z]{2}[a-z0-9-]*-\d):)?"
    r"(?:(?P<account>\d{12}):)?"
    r"(?:function:)?"
    r"(?P<name>[^:]+)"
    r"(?::(?P<qualifier>[^:]*))?",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """What a FunctionName says: the name, and whatever ARN parts and qualifier it carries."""

    name: str
    qualifier: str | None = None
    region: str | None = None
    account: str | None = None
    partition: str | None = None


def parse_function_name(value: str) -> FunctionRef:
    """The parts of `value`. A value of no known form is taken as a plain name."""
    match = _STRUCTURE.fullmatch(value)
    if match is None:
        return FunctionRef(name=value)
    return FunctionRef(
        name=match["name"],
        qualifier=match["qualifier"],
        region=match["region"],
        account=match["account"],
        partition=match["partition"],
    )


def function_arn(region: str, account: str, name: str, qualifier: str | None = None) -> str:
    """`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`."""
    arn = f"arn:aws:lambda:{region}:{account}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier is not None else arn
