"""The spec layer: the Invoke contract as data."""

from lambda_conformance.spec.loader import (
    DEFAULT_SPEC_PATH,
    PROFILES,
    SpecError,
    load_raw,
    load_spec,
)
from lambda_conformance.spec.model import (
    ByteLimit,
    Conventions,
    ErrorType,
    Limits,
    Parameter,
    Requirement,
    ResponseHeader,
    Spec,
)

__all__ = [
    "DEFAULT_SPEC_PATH",
    "PROFILES",
    "ByteLimit",
    "Conventions",
    "ErrorType",
    "Limits",
    "Parameter",
    "Requirement",
    "ResponseHeader",
    "Spec",
    "SpecError",
    "load_raw",
    "load_spec",
]
