"""Creating and deleting the fixture functions through a target's Lambda control plane."""

from __future__ import annotations

import io
import ipaddress
import json
import logging
import re
import secrets
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.config
import botocore.credentials
import botocore.exceptions

from lambda_conformance.layout import HANDLERS_DIR
from lambda_conformance.provisioning.manifest import KNOWN_ROLES, Manifest

log = logging.getLogger(__name__)

# fixtures/handlers/ of a clone, or the copy an install carries (lambda_conformance.layout).
DEFAULT_HANDLERS_DIR = HANDLERS_DIR

RUNTIME = "python3.12"
MEMORY_MB = 128
# The fixture contract deploys `sleep` with a 3 s timeout so the suite can provoke a timeout.
TIMEOUTS_S = {"sleep": 3}
DEFAULT_TIMEOUT_S = 10
INTROSPECT_ALIAS = "live"
LOOPBACK_ACCOUNT_ID = "000000000000"

_TRUST_POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }],
})

# Leaves room for "-introspect" and "-execution" within Lambda's 64-character name limit.
_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")

# Errors meaning "already gone": deleting it again is success, not a failure.
_GONE = {"ResourceNotFoundException", "NoSuchEntity", "NoSuchEntityException", "NotFound"}


class ProvisioningError(RuntimeError):
    """Creating the fixture functions failed; the message says which step and why."""


def is_loopback(endpoint_url: str) -> bool:
    """True when `endpoint_url` points at this machine (localhost, 127.0.0.0/8, ::1)."""
    host = urlsplit(endpoint_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def handler_zip(role: str, handlers_dir: Path = DEFAULT_HANDLERS_DIR) -> bytes:
    """A deployment package holding `<role>.py` at its root, byte-for-byte reproducible."""
    source = handlers_dir / f"{role}.py"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed timestamp and mode keep CodeSha256 stable across runs and machines.
        info = zipfile.ZipInfo(f"{role}.py", date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, source.read_bytes())
    return buffer.getvalue()


def _error_code(error: BaseException) -> str:
    if isinstance(error, botocore.exceptions.ClientError):
        return str(error.response.get("Error", {}).get("Code", ""))
    return ""


def _brief(error: BaseException) -> str:
    """One line for a botocore error: code and message, no traceback."""
    if isinstance(error, botocore.exceptions.ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', '?')}: {details.get('Message', '')}".strip()
    return f"{type(error).__name__}: {error}"


class Provisioner:
    """Creates the seven fixture functions under a per-run prefix, and deletes them again.

    Everything it creates is recorded *before* the create call is sent, so that `delete()`
    also removes resources whose creation response was lost (timeouts, interrupts).
    """

    def __init__(
        self,
        endpoint_url: str,
        region: str,
        account_id: str | None = None,
        role_arn: str | None = None,
        prefix: str | None = None,
        *,
        callback_host: str = "127.0.0.1",
        handlers_dir: Path = DEFAULT_HANDLERS_DIR,
        session: boto3.session.Session | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_attempts: int = 3,
        active_timeout: float = 120.0,
        require_active: bool = True,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self.loopback = is_loopback(endpoint_url)
        self.role_arn = role_arn
        self.prefix = prefix or f"lc-{secrets.token_hex(4)}"
        if not _PREFIX.match(self.prefix):
            raise ProvisioningError(
                f"prefix {self.prefix!r} must be 1-40 of letters, digits, - and _, starting "
                "with a letter (function names are <prefix>-<role>, at most 64 characters)"
            )
        self.callback_host = callback_host
        self.handlers_dir = handlers_dir
        self.active_timeout = active_timeout
        # False keeps going with functions that end Failed (LocalStack without Docker), so the
        # suite can still probe request validation and error answers; their invokes fail.
        self.require_active = require_active
        self.failed_functions: dict[str, str] = {}
        self._account_id = account_id
        self._session = session or self._default_session()
        self._config = botocore.config.Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": max_attempts, "mode": "standard"},
        )
        self._clients: dict[str, Any] = {}
        self.lambda_client: Any = self._client("lambda")
        # What this run created (or tried to create), newest last; delete() walks it backwards.
        self._functions: list[str] = []
        self._aliases: list[tuple[str, str]] = []
        self._role_name: str | None = None

    # -- clients ---------------------------------------------------------------------------

    def _default_session(self) -> boto3.session.Session:
        if self.loopback:
            # Emulators ignore signatures; dummy keys keep real credentials (and the account
            # some emulators derive from a 12-digit key id) out of local requests.
            return boto3.session.Session(
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name=self.region,
            )
        # The usual chain: environment, shared config/credentials files, SSO, instance role.
        return boto3.session.Session(region_name=self.region)

    def _client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._new_client(service)
        return self._clients[service]

    def _new_client(self, service: str) -> Any:
        # On loopback every service answers on the one emulator endpoint; on AWS, IAM and STS
        # have their own endpoints, so only Lambda is pointed at endpoint_url.
        endpoint = self.endpoint_url if (service == "lambda" or self.loopback) else None
        return self._session.client(
            service, region_name=self.region, endpoint_url=endpoint, config=self._config
        )

    # -- naming ----------------------------------------------------------------------------

    def function_name(self, role: str) -> str:
        """The name this run gives the function playing `role`."""
        return f"{self.prefix}-{role}"

    @property
    def role_name(self) -> str:
        """The IAM role this run creates when none is given (loopback targets only)."""
        return f"{self.prefix}-execution"

    # -- create ----------------------------------------------------------------------------

    def account_id(self) -> str:
        """The account id for ARNs: as given, else STS GetCallerIdentity, else the default."""
        if self._account_id is None:
            try:
                identity = self._client("sts").get_caller_identity()
                self._account_id = str(identity["Account"])
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
                if not self.loopback:
                    raise ProvisioningError(
                        f"cannot find the account id (STS GetCallerIdentity: {_brief(error)}); "
                        "pass it explicitly with --account-id"
                    ) from None
                # Emulators without STS use the conventional all-zero test account.
                self._account_id = LOOPBACK_ACCOUNT_ID
        return self._account_id

    def create(self, roles: Iterable[str] | None = None) -> Manifest:
        """Create the fixture functions, wait for them to be Active; return their manifest.

        `roles` defaults to every known role whose handler exists (the contract's seven plus
        the project's own). On failure the partial state is left for `delete()` to remove;
        the error says which step failed.
        """
        if roles is None:
            roles = [r for r in KNOWN_ROLES if (self.handlers_dir / f"{r}.py").is_file()]
        roles = tuple(roles)
        unknown = [role for role in roles if role not in KNOWN_ROLES]
        if unknown:
            raise ProvisioningError(f"unknown fixture roles: {', '.join(unknown)}")
        account_id = self.account_id()
        role_arn = self._execution_role_arn()
        for role in roles:
            self._create_function(role, role_arn)
        for role in roles:
            self._wait_active(self.function_name(role))
        version = "1"
        if "introspect" in roles:
            version = self._publish_introspect()
        return Manifest(
            region=self.region,
            account_id=account_id,
            functions={role: self.function_name(role) for role in roles},
            introspect_version=version,
            introspect_alias=INTROSPECT_ALIAS,
            callback_host=self.callback_host,
            supports_concurrency_control=True,
            source=f"<provisioned {self.prefix} at {self.endpoint_url}>",
        )

    def _execution_role_arn(self) -> str:
        if self.role_arn:
            return self.role_arn
        if not self.loopback:
            raise ProvisioningError(
                f"{self.endpoint_url} is not a loopback target: give an existing Lambda "
                "execution role with --execution-role-arn (the suite creates IAM roles only "
                "on local emulators)"
            )
        iam = self._client("iam")
        self._role_name = self.role_name
        try:
            response = iam.create_role(
                RoleName=self.role_name,
                AssumeRolePolicyDocument=_TRUST_POLICY,
                Description=f"lambda-conformance fixtures, run {self.prefix}",
            )
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            raise ProvisioningError(
                f"creating IAM role {self.role_name} at {self.endpoint_url} failed: "
                f"{_brief(error)}"
            ) from None
        self.role_arn = str(response["Role"]["Arn"])
        return self.role_arn

    def _create_function(self, role: str, role_arn: str) -> None:
        name = self.function_name(role)
        self._functions.append(name)
        try:
            self.lambda_client.create_function(
                FunctionName=name,
                Runtime=RUNTIME,
                Role=role_arn,
                Handler=f"{role}.handler",
                Code={"ZipFile": handler_zip(role, self.handlers_dir)},
                Description=f"lambda-conformance fixture {role}, run {self.prefix}",
                Timeout=TIMEOUTS_S.get(role, DEFAULT_TIMEOUT_S),
                MemorySize=MEMORY_MB,
                Publish=False,
            )
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            raise ProvisioningError(f"CreateFunction {name} failed: {_brief(error)}") from None

    def _wait_active(self, name: str) -> None:
        deadline = time.monotonic() + self.active_timeout
        delay = 0.25
        while True:
            try:
                config = self.lambda_client.get_function_configuration(FunctionName=name)
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
                raise ProvisioningError(
                    f"GetFunctionConfiguration {name} failed: {_brief(error)}"
                ) from None
            # Emulators that predate function states return no State; treat them as ready.
            state = config.get("State", "Active")
            if state == "Active":
                return
            if state in ("Failed", "Inactive"):
                reason = config.get("StateReason") or config.get("StateReasonCode") or "no reason"
                if self.require_active:
                    raise ProvisioningError(f"function {name} is {state}: {reason}")
                log.warning("fixture function %s is %s: %s", name, state, reason)
                self.failed_functions[name] = f"{state}: {reason}"
                return
            if time.monotonic() >= deadline:
                raise ProvisioningError(
                    f"function {name} still {state} after {self.active_timeout:.0f} s"
                )
            time.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _publish_introspect(self) -> str:
        name = self.function_name("introspect")
        try:
            version = str(self.lambda_client.publish_version(FunctionName=name)["Version"])
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            raise ProvisioningError(f"PublishVersion {name} failed: {_brief(error)}") from None
        if version != "1":
            # The function is fresh, so its first version must be 1 (fixture contract).
            raise ProvisioningError(f"PublishVersion {name} returned version {version}, not 1")
        self._aliases.append((name, INTROSPECT_ALIAS))
        try:
            self.lambda_client.create_alias(
                FunctionName=name, Name=INTROSPECT_ALIAS, FunctionVersion=version
            )
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            raise ProvisioningError(
                f"CreateAlias {name}:{INTROSPECT_ALIAS} failed: {_brief(error)}"
            ) from None
        return version

    # -- concurrency -----------------------------------------------------------------------

    def put_concurrency(self, function_name: str, n: int) -> None:
        """Reserve `n` concurrent executions for the function (0 throttles every invoke)."""
        self.lambda_client.put_function_concurrency(
            FunctionName=function_name, ReservedConcurrentExecutions=n
        )

    def delete_concurrency(self, function_name: str) -> None:
        """Remove the function's reserved concurrency; a function already gone is fine."""
        try:
            self.lambda_client.delete_function_concurrency(FunctionName=function_name)
        except botocore.exceptions.ClientError as error:
            if _error_code(error) not in _GONE:
                raise

    # -- delete ----------------------------------------------------------------------------

    def delete(self) -> list[str]:
        """Delete everything this run created; never raises. Returns what could not be deleted.

        Idempotent and safe from atexit, signal handlers and finalizers: each resource is
        forgotten once its deletion was attempted, every call is bounded by the client's
        timeouts, and "not found" counts as deleted.
        """
        problems: list[str] = []
        while self._aliases:
            function, alias = self._aliases.pop()
            self._attempt(problems, f"alias {function}:{alias}",
                          lambda f=function, a=alias: self.lambda_client.delete_alias(
                              FunctionName=f, Name=a))
        while self._functions:
            name = self._functions.pop()
            # DeleteFunction without a qualifier also removes its versions and aliases.
            self._attempt(problems, f"function {name}",
                          lambda n=name: self.lambda_client.delete_function(FunctionName=n))
        if self._role_name is not None:
            role_name, self._role_name = self._role_name, None
            self._attempt(problems, f"IAM role {role_name}",
                          lambda r=role_name: self._client("iam").delete_role(RoleName=r))
        for problem in problems:
            log.warning("lambda-conformance cleanup: %s", problem)
        return problems

    @staticmethod
    def _attempt(problems: list[str], what: str, call: Any) -> None:
        try:
            call()
        except botocore.exceptions.ClientError as error:
            if _error_code(error) not in _GONE:
                problems.append(f"deleting {what} failed: {_brief(error)}")
        except Exception as error:  # cleanup must not raise, whatever broke
            problems.append(f"deleting {what} failed: {_brief(error)}")

    def leftovers(self) -> list[str]:
        """Function names with this run's prefix that ListFunctions still shows."""
        names: list[str] = []
        paginator = self.lambda_client.get_paginator("list_functions")
        for page in paginator.paginate():
            for function in page.get("Functions", []):
                name = str(function["FunctionName"])
                if name.startswith(f"{self.prefix}-"):
                    names.append(name)
        return sorted(names)

    # -- context manager -------------------------------------------------------------------

    def __enter__(self) -> Provisioner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.delete()
