"""Render an InvokeCase as the HTTP request that carries it."""

from __future__ import annotations

from urllib.parse import quote

from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.spec import Spec
from lambda_conformance.transport.exchange import HttpRequest


def render(case: InvokeCase, spec: Spec) -> HttpRequest:
    params = spec.parameters
    # botocore percent-encodes the whole FunctionName label, ':' and '$' included.
    path = spec.operation.path.replace("{FunctionName}", quote(case.function_name, safe=""))
    query: tuple[tuple[str, str], ...] = ()
    if case.qualifier is not None:
        query = ((params["Qualifier"].wire_name, case.qualifier),)
    headers: list[tuple[str, str]] = []
    for name, value in (
        ("InvocationType", case.invocation_type),
        ("LogType", case.log_type),
        ("ClientContext", case.client_context),
    ):
        if value is not None:
            headers.append((params[name].wire_name, value))
    return HttpRequest(
        method=spec.operation.method,
        path=path,
        query=query,
        headers=tuple(headers),
        body=case.body if case.body is not None else b"",
    )
