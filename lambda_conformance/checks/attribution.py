"""Which requirement a failure in a combination test speaks for.

The name-form test invokes every name form with every qualifier (in the name or as the
Qualifier parameter). When one cell of that grid goes wrong, the rule that broke is the
one the *other* cells clear: a partial ARN the target cannot resolve, while the same
qualifier works through the other forms, is a name-form failure (INV-NAME-001), not a
qualifier failure; an alias that resolves through no form while versions do is the
alias rule's failure (INV-QUAL-002), not a failure of every name form. One deviation,
one requirement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lambda_conformance.generation.names import NameForm


@dataclass(frozen=True, slots=True)
class GridCell:
    """One invocation of the grid, as observed.

    `qualifier` is the qualifier the caller gave, in the name or as the parameter (None:
    unqualified); `resolved` says whether the target answered it with the function's
    result at all; `ran` is the version the function's context reports and `executed`
    the X-Amz-Executed-Version header (None where absent).
    """

    base_form: NameForm  # NAME, PARTIAL_ARN or FULL_ARN (name:qualifier counts as NAME)
    qualifier: str | None
    in_name: bool
    expected_version: str
    resolved: bool
    ran: str | None = None
    executed: str | None = None

    def twin_of(self, other: GridCell) -> bool:
        """The same form and qualifier, the qualifier given the other way."""
        return (
            other.base_form is self.base_form
            and other.qualifier == self.qualifier
            and other.in_name != self.in_name
        )

    @property
    def right_version(self) -> bool:
        seen = self.ran if self.ran is not None else self.executed
        return seen == self.expected_version


def base_form(form: NameForm | None) -> NameForm | None:
    """The form a name has once its qualifier is taken off (name:qualifier is a name)."""
    return NameForm.NAME if form is NameForm.NAME_QUALIFIER else form


QualifierRule = Callable[[str | None], list[str]]


def unresolved_blame(
    cell: GridCell, cells: Sequence[GridCell], qualifier_rule: QualifierRule
) -> list[str]:
    """The requirements a cell that did not resolve fails."""
    others = [c for c in cells if c is not cell]
    if any(c.resolved for c in others if c.qualifier == cell.qualifier):
        # The qualifier works elsewhere: this way of naming the function is what broke.
        twin = next((c for c in others if cell.twin_of(c)), None)
        if cell.in_name and twin is not None and twin.resolved:
            return ["INV-QUAL-007"]
        return ["INV-NAME-001"]
    if cell.qualifier is not None and any(c.resolved for c in others):
        # No form resolves this qualifier while others do: the qualifier's rule broke.
        return qualifier_rule(cell.qualifier)
    return ["INV-NAME-001"]


def version_blame(
    cell: GridCell, cells: Sequence[GridCell], qualifier_rule: QualifierRule
) -> list[str]:
    """The requirements a resolved cell fails on the version it reports.

    Three witnesses name a version: the world (what the qualifier must resolve to), the
    function's context and the X-Amz-Executed-Version header. The odd one out is the rule
    that broke: a header that disagrees with a context that ran the right version is
    INV-HDR-002; a context that disagrees with a right header is INV-CTX-001; both
    agreeing on a wrong version is the qualifier's rule (INV-QUAL-007 when only the
    qualifier-in-the-name way differs from the parameter way).
    """
    expected, ran, executed = cell.expected_version, cell.ran, cell.executed
    if ran is None or executed is None:
        # One witness is missing (INV-HDR-001 judges a missing header); judge the
        # qualifier on the one that is there.
        return [] if cell.right_version else _wrong_version(cell, cells, qualifier_rule)
    if ran == expected and executed == expected:
        return []
    if ran == expected:
        return ["INV-HDR-002"]
    if executed == expected:
        return ["INV-CTX-001"]
    blame = _wrong_version(cell, cells, qualifier_rule)
    return blame if ran == executed else [*blame, "INV-CTX-001"]


def _wrong_version(cell: GridCell, cells: Sequence[GridCell], rule: QualifierRule) -> list[str]:
    if cell.in_name:
        twin = next((c for c in cells if cell.twin_of(c)), None)
        if twin is not None and twin.resolved:
            # "resolves exactly as the same Qualifier parameter would" (INV-QUAL-007):
            # broken only where the two ways differ; a parameter that runs the same
            # wrong version is judged on its own cell.
            return ["INV-QUAL-007"] if twin.right_version else []
    return rule(cell.qualifier)
