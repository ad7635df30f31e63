"""The fixture manifest: which functions on a target play which fixture role."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The roles of the fixture contract (../shared/fixture-contract.md, "Roles"), in its order.
ROLES: tuple[str, ...] = ("echo", "introspect", "fail", "log", "sleep", "large", "beacon")
# Roles this project adds (the contract allows it): `throttled` is an echo whose reserved
# concurrency the suite sets to 0, apart from `echo` so parallel tests are not disturbed.
PROJECT_ROLES: tuple[str, ...] = ("throttled",)
KNOWN_ROLES: tuple[str, ...] = ROLES + PROJECT_ROLES

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
# A Lambda function name (not an ARN): letters, digits, hyphens, underscores, 1-64 long.
# The manifest names plain functions; ARN forms are built from region and account.
_FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Region names such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1.
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
_VERSION = re.compile(r"^[0-9]+$")
# An alias name must not look like a version (all digits), or Qualifier would be ambiguous.
_ALIAS = re.compile(r"^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$")

_REQUIRED = ("region", "account_id", "functions")
_KNOWN = (
    "region",
    "account_id",
    "functions",
    "introspect_version",
    "introspect_alias",
    "callback_host",
    "supports_concurrency_control",
)


class ManifestError(ValueError):
    """A manifest that cannot be used; the message is one paragraph naming file and field."""


@dataclass(frozen=True)
class Manifest:
    """Functions on a target, by fixture role, and what the suite needs to address them."""

    region: str
    account_id: str
    functions: dict[str, str]
    introspect_version: str = "1"
    introspect_alias: str = "live"
    callback_host: str = "127.0.0.1"
    # True when the suite may call PutFunctionConcurrency/DeleteFunctionConcurrency on the
    # target's control plane (throttling checks); hosts without a control plane leave it off.
    supports_concurrency_control: bool = False
    source: str = field(default="<memory>", compare=False)

    def function(self, role: str) -> str | None:
        """The function name hosting `role`, or None when the target does not host it."""
        if role not in KNOWN_ROLES:
            raise KeyError(f"unknown fixture role {role!r}; roles are {', '.join(KNOWN_ROLES)}")
        return self.functions.get(role)

    def arn(self, role: str, qualifier: str | None = None) -> str | None:
        """The function ARN for `role` (optionally qualified), or None when not hosted."""
        name = self.function(role)
        if name is None:
            return None
        partition = _partition(self.region)
        arn = f"arn:{partition}:lambda:{self.region}:{self.account_id}:function:{name}"
        return f"{arn}:{qualifier}" if qualifier else arn

    @property
    def missing_roles(self) -> tuple[str, ...]:
        """Roles the target does not host: the requirements needing them are untested."""
        return tuple(role for role in KNOWN_ROLES if role not in self.functions)

    def to_dict(self) -> dict[str, Any]:
        """The manifest as the YAML mapping `load_manifest` reads."""
        return {
            "region": self.region,
            "account_id": self.account_id,
            "functions": {
                role: self.functions[role] for role in KNOWN_ROLES if role in self.functions
            },
            "introspect_version": self.introspect_version,
            "introspect_alias": self.introspect_alias,
            "callback_host": self.callback_host,
            "supports_concurrency_control": self.supports_concurrency_control,
        }

    def dump(self, path: str | Path) -> None:
        """Write the manifest as YAML, readable by `load_manifest`."""
        Path(path).write_text(yaml.safe_dump(self.to_dict(), sort_keys=False), encoding="utf-8")


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _describe(value: object) -> str:
    """A value as the message shows it: its repr, shortened, with its YAML-level type."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return text


def _type_name(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


class _Reader:
    """Validates one parsed manifest, raising ManifestError that names the file and field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, what: str) -> ManifestError:
        # One paragraph, no newlines: it is printed as a pytest usage error and in reports.
        text = " ".join(f"{self.source}: {where}: {what}".split())
        return ManifestError(text)

    def string(self, data: Mapping[str, Any], key: str, where: str, pattern: re.Pattern[str],
               rule: str) -> str:
        value = data[key]
        if not isinstance(value, str):
            hint = ""
            if key == "account_id" and isinstance(value, int):
                # YAML reads 000000000000 as the integer 0; quoting keeps the digits.
                hint = " (quote it in YAML so the leading zeros survive)"
            elif key == "introspect_version" and isinstance(value, int):
                hint = " (quote it in YAML, e.g. \"1\")"
            raise self.fail(
                where, f"expected a string, got {_type_name(value)} {_describe(value)}{hint}"
            )
        if not pattern.match(value):
            raise self.fail(where, f"{_describe(value)} is not {rule}")
        return value

    def read(self, data: object) -> Manifest:
        if data is None:
            raise self.fail("(top level)", "the file is empty; expected a mapping with "
                            "region, account_id and functions")
        if not isinstance(data, dict):
            raise self.fail("(top level)",
                            f"expected a mapping, got {_type_name(data)} {_describe(data)}")
        for key in data:
            if not isinstance(key, str) or key not in _KNOWN:
                raise self.fail(str(key), f"unknown key; known keys are {', '.join(_KNOWN)}")
        for key in _REQUIRED:
            if key not in data:
                raise self.fail(key, "missing (required)")
        region = self.string(data, "region", "region", _REGION, "a region name like us-east-1")
        account_id = self.string(data, "account_id", "account_id", _ACCOUNT_ID,
                                 "a 12-digit account id")
        functions = self.functions(data["functions"])
        optional: dict[str, Any] = {}
        if "introspect_version" in data:
            optional["introspect_version"] = self.string(
                data, "introspect_version", "introspect_version", _VERSION,
                "a published version number like \"1\"")
        if "introspect_alias" in data:
            optional["introspect_alias"] = self.string(
                data, "introspect_alias", "introspect_alias", _ALIAS,
                "an alias name (1-128 of letters, digits, - and _, not all digits)")
        if "callback_host" in data:
            optional["callback_host"] = self.string(
                data, "callback_host", "callback_host", re.compile(r"^[A-Za-z0-9.:\[\]_-]{1,253}$"),
                "a host name or IP address")
        if "supports_concurrency_control" in data:
            value = data["supports_concurrency_control"]
            if not isinstance(value, bool):
                raise self.fail("supports_concurrency_control",
                                f"expected a boolean, got {_type_name(value)} {_describe(value)}")
            optional["supports_concurrency_control"] = value
        return Manifest(region=region, account_id=account_id, functions=functions,
                        source=self.source, **optional)

    def functions(self, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.fail("functions",
                            f"expected a mapping of role to function name, got "
                            f"{_type_name(value)} {_describe(value)}")
        result: dict[str, str] = {}
        for role, name in value.items():
            if role not in KNOWN_ROLES:
                raise self.fail(f"functions.{role}",
                                f"unknown role; roles are {', '.join(KNOWN_ROLES)}")
            if not isinstance(name, str):
                raise self.fail(f"functions.{role}",
                                f"expected a string, got {_type_name(name)} {_describe(name)}")
            if not _FUNCTION_NAME.match(name):
                raise self.fail(f"functions.{role}",
                                f"{_describe(name)} is not a function name "
                                "(1-64 of letters, digits, - and _)")
            result[role] = name
        if not result:
            raise self.fail("functions", "empty; name at least one role's function")
        return result


def parse_manifest(text: str, source: str = "<string>") -> Manifest:
    """Parse manifest YAML text; `source` names it in error messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(top level)"
        problem = getattr(error, "problem", None) or str(error)
        raise _Reader(source).fail(where, f"not valid YAML: {problem}") from None
    return _Reader(source).read(data)


def load_manifest(path: str | Path) -> Manifest:
    """Read and validate the manifest at `path`; raises ManifestError naming file and field."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestError(f"{source}: cannot read the manifest: {error.strerror or error}") \
            from None
    except UnicodeDecodeError:
        raise ManifestError(f"{source}: the manifest is not UTF-8 text") from None
    return parse_manifest(text, source)
