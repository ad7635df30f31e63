"""A minimal Lambda control plane: enough for boto3 to list functions and set concurrency.

Paths and methods are those of botocore's Lambda model: PutFunctionConcurrency
(PUT /2017-10-31/functions/{FunctionName}/concurrency), DeleteFunctionConcurrency (DELETE,
same path, 204), GetFunctionConcurrency (GET /2019-09-30/functions/{FunctionName}/concurrency),
ListFunctions (GET /2015-03-31/functions/), GetFunction (GET /2015-03-31/functions/{FunctionName})
and GetFunctionConfiguration (GET …/{FunctionName}/configuration).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lambda_conformance.reference.errors import JSON, ApiError, Reply, error_reply
from lambda_conformance.reference.functions import LATEST, ConcurrencyLimits, FunctionConfig
from lambda_conformance.reference.mutants import Switches
from lambda_conformance.reference.names import function_arn, parse_function_name
from lambda_conformance.spec import Spec


class ControlPlane:
    """Control-plane operations over the hosted functions and their reserved concurrency."""

    def __init__(
        self,
        spec: Spec,
        functions: Mapping[str, FunctionConfig],
        concurrency: ConcurrencyLimits,
        region: str,
        account_id: str,
    ) -> None:
        self._spec = spec
        self._functions = functions
        self._concurrency = concurrency
        self._region = region
        self._account = account_id
        # Control-plane errors are never mutated: the mutants concern Invoke only.
        self._switches = Switches(None)

    def handle(self, method: str, segments: list[str], body: bytes) -> Reply | None:
        """The answer, or None when no control-plane operation has this method and path."""
        try:
            return self._route(method, segments, body)
        except ApiError as error:
            return error_reply(self._spec, error, self._switches)

    def _route(self, method: str, segments: list[str], body: bytes) -> Reply | None:
        match (method, segments):
            case ("PUT", ["2017-10-31", "functions", name, "concurrency"]):
                return self._put_concurrency(self._function(name), body)
            case ("DELETE", ["2017-10-31", "functions", name, "concurrency"]):
                self._concurrency.delete(self._function(name).name)
                return Reply(204)
            case ("GET", ["2019-09-30", "functions", name, "concurrency"]):
                reserved = self._concurrency.reserved(self._function(name).name)
                return _json({} if reserved is None else {"ReservedConcurrentExecutions": reserved})
            case ("GET", ["2015-03-31", "functions"] | ["2015-03-31", "functions", ""]):
                return _json(
                    {"Functions": [self._configuration(f) for f in self._functions.values()]}
                )
            case ("GET", ["2015-03-31", "functions", name]):
                function = self._function(name)
                reserved = self._concurrency.reserved(function.name)
                answer: dict[str, Any] = {
                    "Configuration": self._configuration(function),
                    "Code": {"RepositoryType": "S3", "Location": ""},
                }
                if reserved is not None:
                    answer["Concurrency"] = {"ReservedConcurrentExecutions": reserved}
                return _json(answer)
            case ("GET", ["2015-03-31", "functions", name, "configuration"]):
                return _json(self._configuration(self._function(name)))
        return None

    def _function(self, value: str) -> FunctionConfig:
        ref = parse_function_name(value)
        function = self._functions.get(ref.name)
        if (
            function is None
            or ref.account not in (None, self._account)
            or ref.region not in (None, self._region)
        ):
            raise ApiError(
                self._spec.conventions.not_found_error,
                "Function not found: "
                + function_arn(self._region, self._account, ref.name, LATEST),
            )
        return function

    def _put_concurrency(self, function: FunctionConfig, body: bytes) -> Reply:
        try:
            value = json.loads(body or b"{}").get("ReservedConcurrentExecutions")
        except (ValueError, AttributeError):
            value = None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ApiError(
                "InvalidParameterValueException",
                "ReservedConcurrentExecutions must be a non-negative integer.",
            )
        self._concurrency.put(function.name, value)
        return _json({"ReservedConcurrentExecutions": value})

    def _configuration(self, function: FunctionConfig) -> dict[str, Any]:
        return {
            "FunctionName": function.name,
            "FunctionArn": function_arn(self._region, self._account, function.name),
            "Runtime": "python3.11",
            "Role": f"arn:aws:iam::{self._account}:role/conformance-reference",
            "Handler": f"{function.role}.handler",
            "CodeSize": function.handler_path.stat().st_size,
            "Description": f"fixture role {function.role}",
            "Timeout": int(function.timeout_s),
            "MemorySize": function.memory_mb,
            "Version": LATEST,
            "State": "Active",
            "LastUpdateStatus": "Successful",
            "PackageType": "Zip",
        }


def _json(value: Any) -> Reply:
    return Reply(200, (("Content-Type", JSON),), json.dumps(value).encode())
