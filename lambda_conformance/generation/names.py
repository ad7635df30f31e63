"""FunctionName forms: build each documented form, and take a name apart again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class NameForm(StrEnum):
    """The documented ways to name a function ("URI Request Parameters: FunctionName")."""

    NAME = "name"
    NAME_QUALIFIER = "name_qualifier"
    PARTIAL_ARN = "partial_arn"
    FULL_ARN = "full_arn"


# Mirrors the FunctionName pattern of both profiles (the aws one is a superset) with
# named groups. Applied only to values the profile's own pattern already admits.
_PARTS = re.compile(
    r"(?:arn:(?P<partition>aws[a-zA-Z-]*)?:lambda:)?"
    r"(?:(?P<region>(?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?"
    r"(?:(?P<account>\d{12}):)?"
    r"(?P<function_prefix>function:)?"
    r"(?P<name>[a-zA-Z0-9\-_.]+)"
    r"(?::(?P<qualifier>\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9\-_]+))?",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class ParsedName:
    form: NameForm | None  # None: admitted by the pattern, but none of the documented forms
    name: str
    qualifier: str | None
    region: str | None
    account: str | None
    partition: str | None

    @property
    def is_bare(self) -> bool:
        """Only the function name: the form the 64-character limit speaks of."""
        return self.form is NameForm.NAME


def parse(value: str) -> ParsedName | None:
    match = _PARTS.fullmatch(value)
    if match is None:
        return None
    g = match.groupdict()
    has_arn = value.startswith("arn:")
    form: NameForm | None = None
    if has_arn:
        if g["partition"] and g["region"] and g["account"] and g["function_prefix"]:
            form = NameForm.FULL_ARN
    elif g["account"] and g["function_prefix"] and not g["region"]:
        form = NameForm.PARTIAL_ARN
    elif not (g["region"] or g["account"] or g["function_prefix"]):
        form = NameForm.NAME_QUALIFIER if g["qualifier"] is not None else NameForm.NAME
    return ParsedName(
        form=form,
        name=g["name"],
        qualifier=g["qualifier"],
        region=g["region"],
        account=g["account"],
        partition=g["partition"],
    )


def build(
    form: NameForm,
    name: str,
    *,
    region: str,
    account: str,
    qualifier: str | None = None,
) -> str:
    """The FunctionName string of `form`; ARN forms take the qualifier as a suffix too."""
    if form is NameForm.NAME:
        base = name
    elif form is NameForm.NAME_QUALIFIER:
        if qualifier is None:
            raise ValueError("the name:qualifier form needs a qualifier")
        return f"{name}:{qualifier}"
    elif form is NameForm.PARTIAL_ARN:
        base = f"{account}:function:{name}"
    else:
        base = f"arn:aws:lambda:{region}:{account}:function:{name}"
    return f"{base}:{qualifier}" if qualifier is not None else base


def function_arn(name: str, *, region: str, account: str, qualifier: str | None = None) -> str:
    return build(NameForm.FULL_ARN, name, region=region, account=account, qualifier=qualifier)
