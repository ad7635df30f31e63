"""Provisioning layer: the fixture manifest, and creating/deleting fixture functions."""

from __future__ import annotations

from lambda_conformance.provisioning.manifest import (
    KNOWN_ROLES,
    PROJECT_ROLES,
    ROLES,
    Manifest,
    ManifestError,
    load_manifest,
    parse_manifest,
)
from lambda_conformance.provisioning.provisioner import (
    Provisioner,
    ProvisioningError,
    handler_zip,
    is_loopback,
)

__all__ = [
    "KNOWN_ROLES",
    "PROJECT_ROLES",
    "ROLES",
    "Manifest",
    "ManifestError",
    "Provisioner",
    "ProvisioningError",
    "handler_zip",
    "is_loopback",
    "load_manifest",
    "parse_manifest",
]
