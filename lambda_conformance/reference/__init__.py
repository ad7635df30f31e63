"""The reference target: a real HTTP server running the fixture handlers, and its mutants.

    from lambda_conformance.reference import ReferenceTarget
    with ReferenceTarget(profile="aws") as target:
        ...  # target.url, target.functions["echo"], target.region, target.account_id

See docs/reference-target.md for the CLI and curl examples.
"""

from lambda_conformance.reference.mutants import MUTANTS, Mutant
from lambda_conformance.reference.target import ReferenceTarget

__all__ = ["MUTANTS", "Mutant", "ReferenceTarget"]
