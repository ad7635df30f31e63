"""The suite's options: command line, environment and ini file, in that order of precedence."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from lambda_conformance.transport import DEFAULT_MAX_TIMEOUTS


@dataclass(frozen=True)
class Setting:
    name: str  # the option's dest; the flag is --name-with-dashes
    help: str
    kind: type = str
    default: Any = None
    flag: bool = False

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return "LC_" + self.name.upper()

    @property
    def ini(self) -> str:
        return "lc_" + self.name


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "target_url",
        "Invoke endpoint to judge, e.g. http://127.0.0.1:3001 (default: "
        "start the embedded reference target)",
    ),
    Setting(
        "profile",
        "spec profile: documented (the page) or aws (real AWS today)",
        default="documented",
    ),
    Setting(
        "region", "region of the target, used for signing and ARN name forms", default="us-east-1"
    ),
    Setting("account_id", "account id used in ARN name forms (default: the manifest's)"),
    Setting("fixtures_manifest", "YAML manifest naming the fixture functions on the target"),
    Setting(
        "provision",
        "create the fixture functions through the target's control plane "
        "and delete them afterwards",
        kind=bool,
        default=False,
        flag=True,
    ),
    Setting("execution_role_arn", "execution role for --provision (real AWS)"),
    Setting(
        "operations",
        "comma-separated operations to judge, e.g. invoke,stream (default: every operation "
        "the spec covers)",
    ),
    Setting("report_dir", "where results.json and the reports go", default="reports/latest"),
    Setting(
        "request_timeout", "hard deadline in seconds for one request", kind=float, default=15.0
    ),
    Setting(
        "max_requests",
        "stop sending after this many requests (shared or paid "
        "endpoints); the rest of the run is untested",
        kind=int,
    ),
    Setting("rate", "at most this many requests per second", kind=float),
    Setting(
        "max_timeouts",
        "stop the run (incomplete) after this many requests in a row got no complete "
        "response within --request-timeout; 0: never",
        kind=int,
        default=DEFAULT_MAX_TIMEOUTS,
    ),
    Setting(
        "max_time",
        "whole-run deadline in seconds: no request starts after it, the rest of the run "
        "is untested, the record and reports are still written",
        kind=float,
    ),
    Setting(
        "async_wait",
        "seconds to wait for asynchronous executions and their retries",
        kind=float,
        default=20.0,
    ),
    Setting(
        "reference_mutant",
        "run the embedded reference target as this mutant (the suite's self-test)",
    ),
    Setting("min_score", "fail the run when the score is below this (0..1)", kind=float),
    Setting("min_must", "fail the run when the MUST score is below this", kind=float),
    Setting("min_should", "fail the run when the SHOULD score is below this", kind=float),
    Setting("baseline", "YAML file of known failures; only other failures fail the run"),
    Setting(
        "update_baseline",
        "write the run's failures to the --baseline file",
        kind=bool,
        default=False,
        flag=True,
    ),
    Setting(
        "rerun_failed",
        "run only the requirements that failed in the last record",
        kind=bool,
        default=False,
        flag=True,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}
NAMES = frozenset(_BY_NAME)
_TRUE = {"1", "true", "yes", "on"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lambda-conformance", "Lambda Invoke conformance")
    for setting in SETTINGS:
        help_text = f"{setting.help} [env {setting.env}, ini {setting.ini}]"
        if setting.flag:
            group.addoption(
                setting.option, action="store_true", default=None, dest=setting.name, help=help_text
            )
        else:
            group.addoption(
                setting.option, action="store", default=None, dest=setting.name, help=help_text
            )
        parser.addini(setting.ini, help=setting.help, default=None)


def _raw(config: pytest.Config, setting: Setting) -> tuple[Any, str]:
    raw: Any = config.getoption(setting.name)
    if raw is not None:
        return raw, setting.option
    raw = os.environ.get(setting.env)
    if raw is not None:
        return raw, f"${setting.env}"
    where = f"{config.inipath} " if config.inipath else "ini "
    return config.getini(setting.ini), f"{where}{setting.ini}"


def source(config: pytest.Config, name: str) -> str:
    """Where a setting's value comes from, for messages: `--rate`, `$LC_RATE`, `tox.ini lc_rate`."""
    return _raw(config, _BY_NAME[name])[1]


def get(config: pytest.Config, name: str) -> Any:
    """The value of a setting: command line, else LC_* environment, else ini, else default."""
    setting = _BY_NAME[name]
    raw, source = _raw(config, setting)
    if raw is None or raw == "":
        return setting.default
    if setting.kind is bool:
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in _TRUE
    try:
        return setting.kind(raw)
    except (TypeError, ValueError):
        raise pytest.UsageError(
            f"{source}: expected {setting.kind.__name__}, got {raw!r} ({setting.help})"
        ) from None


def snapshot(config: pytest.Config) -> dict[str, Any]:
    """Every setting's effective value, for the record (nothing secret is a setting)."""
    return {s.name: get(config, s.name) for s in SETTINGS}
