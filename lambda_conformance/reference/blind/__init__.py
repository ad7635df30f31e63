"""Blind mutants: a deviating HTTP proxy in front of the reference target.

Written from the page, the spec and the observed AWS rows only (never from the suite's
checks), to measure what the conformance suite catches. `BlindTarget` starts the reference
and the proxy; `DEVIATIONS` is the catalogue.
"""

from __future__ import annotations

from lambda_conformance.reference.blind.catalogue import DEVIATIONS, PASS_THROUGH, BlindMutant
from lambda_conformance.reference.blind.proxy import BlindTarget

__all__ = ["DEVIATIONS", "PASS_THROUGH", "BlindMutant", "BlindTarget"]
