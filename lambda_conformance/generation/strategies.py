"""Hypothesis strategies derived from the spec: valid, boundary and invalid inputs.

Every pattern, length and limit comes from the `Spec`; nothing here restates a
constraint of the page. Negative strategies produce candidates that *should* break a
rule; the oracle re-checks each one before it is sent, and a candidate that happens to
be valid is rejected there (with `assume`), never reported as a target's failure.

Shrinking: strings shrink towards shorter values and towards the first characters of
their alphabets, so a minimal failing FunctionName is short and mostly `a`s.
"""

from __future__ import annotations

import base64
import json
import re
import string
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from hypothesis import strategies as st

from lambda_conformance.generation.names import NameForm, build
from lambda_conformance.generation.world import World
from lambda_conformance.spec import Spec
from lambda_conformance.spec.encodings import strict_json

# Characters that change how a URL is routed rather than what the name is ('/' is
# decoded into a path separator by many HTTP stacks, '%' and '\' are re-interpreted):
# a name holding them judges the web framework, not the Invoke contract.
_ROUTING_CHARACTERS = set("/%\\")
_SAMPLE_NON_ASCII = "éß中☃"


@cache
def lambda_regions() -> tuple[str, ...]:
    """The regions botocore's endpoint data lists for Lambda, sorted: read once per process
    (a botocore session loads the whole endpoint table, about 0.2 s, for every call)."""
    import botocore.session

    return tuple(sorted(botocore.session.get_session().get_available_regions("lambda")))


@dataclass(frozen=True)
class JsonLimits:
    max_leaves: int = 12
    max_text: int = 30


class Strategies:
    """Strategies for one spec (profile) and one target world."""

    def __init__(self, spec: Spec, world: World) -> None:
        self.spec = spec
        self.world = world
        self.fn = spec.parameter("FunctionName")
        self.qual = spec.parameter("Qualifier")

    # --- building blocks derived from the patterns -----------------------------------
    def _component(self, part: str) -> re.Pattern[str]:
        return re.compile(self.fn.components[part], re.ASCII)

    def _pattern_text(
        self, pattern: re.Pattern[str], min_size: int, max_size: int
    ) -> st.SearchStrategy[str]:
        return st.from_regex(pattern, fullmatch=True).filter(
            lambda s: min_size <= len(s) <= max_size
        )

    @cached_property
    def name_alphabet(self) -> str:
        """Printable ASCII characters the name component admits, read off the pattern."""
        pattern = self._component("name")
        return "".join(c for c in string.printable if pattern.fullmatch(c))

    @cached_property
    def qualifier_alphabet(self) -> str:
        regex = self.qual.regex
        assert regex is not None
        return "".join(
            c
            for c in string.ascii_letters + string.digits + string.punctuation
            if regex.fullmatch("a" + c)
        )

    def _forbidden(self, admits: Any) -> list[str]:
        candidates = [c for c in string.punctuation + " " + _SAMPLE_NON_ASCII]
        return [c for c in candidates if c not in _ROUTING_CHARACTERS and not admits(c)]

    @cached_property
    def name_forbidden(self) -> list[str]:
        pattern = self._component("name")
        return [c for c in self._forbidden(lambda c: pattern.fullmatch(f"a{c}a")) if c != ":"]

    @cached_property
    def qualifier_forbidden(self) -> list[str]:
        return self._forbidden(lambda c: self.qual.admits(f"a{c}a"))

    def plain_names(self, min_size: int = 1, max_size: int = 64) -> st.SearchStrategy[str]:
        """Function names of no existing function, from the name part of the pattern."""
        existing = set(self.world.functions.values())
        return st.text(self.name_alphabet, min_size=min_size, max_size=max_size).filter(
            # A name of dots only is a dot-segment that URL normalisation removes.
            lambda s: s not in existing and s.strip(".") != ""
        )

    def regions(self) -> st.SearchStrategy[str]:
        return self._pattern_text(self._component("region"), 1, 40)

    def real_regions(self) -> st.SearchStrategy[str]:
        """Regions that exist (botocore's endpoint data), as the pattern admits them.

        A full ARN of another *real* region is answered 404 (GT-020); for a region that
        only fits the pattern nothing was observed, so those are not generated here.
        """
        pattern = self._component("region")
        return st.sampled_from([r for r in lambda_regions() if pattern.fullmatch(r)])

    def accounts(self) -> st.SearchStrategy[str]:
        return self._pattern_text(self._component("account"), 12, 12)

    def unknown_qualifiers(self, max_size: int | None = None) -> st.SearchStrategy[str]:
        """Well-formed qualifiers that name no version or alias of any fixture."""
        high = max_size or self.qual.max_length or 128
        low = max(self.qual.min_length or 1, 1)
        name_part = self._component("qualifier")
        known = self.world.known_qualifiers()
        return st.text(self.qualifier_alphabet, min_size=low, max_size=min(high, 40)).filter(
            lambda q: (
                q not in known
                and self.qual.admits(q)
                # The suite does not model $LATEST.PUBLISHED or versions with leading zeros.
                and not q.startswith("$LATEST.")
                and not (q.isdigit() and q.startswith("0"))
                # Must also fit as a name suffix for the name:qualifier forms.
                and name_part.fullmatch(q) is not None
            )
        )

    # --- FunctionName -----------------------------------------------------------------
    def absent_function_names(self) -> st.SearchStrategy[str]:
        """Each documented form naming a function that does not exist, within the limits."""
        world = self.world
        forms = st.sampled_from(list(NameForm))
        return st.builds(
            lambda form, name, qualifier: build(
                form,
                name,
                region=world.region,
                account=world.account,
                qualifier=qualifier if form is NameForm.NAME_QUALIFIER else None,
            ),
            forms,
            self.plain_names(max_size=min(64, self.spec.limits.bare_name_max_length or 64)),
            self.unknown_qualifiers(),
        )

    def invalid_function_names(self) -> st.SearchStrategy[str]:
        """Names that break the pattern: a forbidden character, or a broken ARN part."""
        world = self.world
        with_bad_char = st.builds(
            lambda name, c, at: name[:at] + c + name[at:],
            self.plain_names(min_size=1, max_size=30),
            st.sampled_from(self.name_forbidden),
            st.integers(0, 30),
        )
        arn_mutations = st.sampled_from(
            [
                lambda n: f"arn:aws:lambda:invalid-region:{world.account}:function:{n}",
                lambda n: f"arn:aws:lambda::{world.account}:function:{n}",
                lambda n: f"arn:aws:lambda:{world.region}::function:{n}",
                lambda n: f"arn:aws:ec2:{world.region}:{world.account}:function:{n}",
                lambda n: f"arn:aws:lambda:{world.region}:{world.account}:function:{n}:1:2",
                lambda n: f"function:{n}:$LATEST:extra",
                lambda n: f"invalid-account:function:{n}",
                lambda n: f"{world.account[:-1]}:function:{n}:x:y",
            ]
        )
        broken_arn = st.builds(lambda f, n: f(n), arn_mutations, self.plain_names(max_size=20))
        return st.one_of(with_bad_char, broken_arn).filter(
            lambda v: self.fn.regex is not None and self.fn.regex.fullmatch(v) is None
        )

    def arn_of_length(self, length: int, region: str | None = None) -> str:
        """A full ARN of exactly `length` characters naming an absent function.

        The name part is padded; under the documented profile the 64-character limit
        speaks only of a bare name, so a long name inside an ARN is judged by the ARN's
        length alone ("The length constraint applies only to the full ARN").
        """
        prefix = build(
            NameForm.FULL_ARN, "", region=region or self.world.region, account=self.world.account
        )
        pad = length - len(prefix)
        if pad < 1:
            raise ValueError(f"an ARN cannot be {length} characters long")
        return prefix + ("z" * pad)

    def bare_names_of_length(self, low: int, high: int) -> st.SearchStrategy[str]:
        return self.plain_names(min_size=low, max_size=high)

    # --- Qualifier --------------------------------------------------------------------
    def invalid_qualifiers(self) -> st.SearchStrategy[str]:
        return st.builds(
            lambda q, c, at: q[:at] + c + q[at:],
            st.text(self.qualifier_alphabet, min_size=1, max_size=20),
            st.sampled_from(self.qualifier_forbidden),
            st.integers(0, 20),
        ).filter(lambda q: not self.qual.admits(q))

    def overlong_qualifiers(self) -> st.SearchStrategy[str]:
        high = self.qual.max_length or 128
        return st.text(
            "abcdefghijklmnopqrstuvwxyz0123456789", min_size=high + 1, max_size=high + 40
        )

    # --- enum headers ---------------------------------------------------------------
    def invalid_enum_values(self, parameter: str) -> st.SearchStrategy[str]:
        """Values outside the enum: other words, and case variants of the valid ones."""
        allowed = self.spec.parameter(parameter).enum
        variants = sorted(
            {v.lower() for v in allowed} | {v.upper() for v in allowed} - set(allowed)
        )
        words = st.text(string.ascii_letters + string.digits, min_size=1, max_size=16)
        return st.one_of(st.sampled_from(variants), words).filter(lambda v: v not in allowed)

    # --- ClientContext ----------------------------------------------------------------
    def client_context_objects(self) -> st.SearchStrategy[dict[str, Any]]:
        small = st.dictionaries(
            st.text(string.ascii_letters, min_size=1, max_size=8),
            st.text(string.ascii_letters + string.digits + " -_", max_size=16),
            max_size=3,
        )
        return st.fixed_dictionaries({"client": small, "custom": small, "env": small})

    def encode_client_context(self, value: Any) -> str:
        return base64.b64encode(json.dumps(value).encode("utf-8")).decode("ascii")

    def client_contexts(self) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
        limit = self.spec.limits.client_context_max_bytes
        return (
            self.client_context_objects()
            .map(lambda obj: (obj, self.encode_client_context(obj)))
            .filter(lambda pair: len(pair[1]) <= limit)
        )

    def client_context_of_size(self, encoded_length: int) -> tuple[dict[str, Any], str]:
        """A ClientContext whose base64 text has about `encoded_length` bytes (multiple of 4)."""
        base = {"client": {}, "custom": {"pad": ""}, "env": {}}
        overhead = len(json.dumps(base))
        raw_length = (encoded_length // 4) * 3
        base["custom"]["pad"] = "p" * max(raw_length - overhead, 0)
        return base, self.encode_client_context(base)

    def invalid_base64(self) -> st.SearchStrategy[str]:
        good = string.ascii_letters + string.digits + "+/"
        bad_chars = "!*-_.~@#"
        broken_char = st.builds(
            lambda s, c, at: s[:at] + c + s[at:],
            st.text(good, min_size=3, max_size=40),
            st.sampled_from(bad_chars),
            st.integers(0, 40),
        )
        bad_padding = st.text(good, min_size=1, max_size=41).filter(lambda s: len(s) % 4 != 0)
        return st.one_of(broken_char, bad_padding)

    # --- Payload ----------------------------------------------------------------------
    def json_values(self, limits: JsonLimits = JsonLimits()) -> st.SearchStrategy[Any]:
        """Any JSON value that survives a round trip through another runtime's parser."""
        # No lone surrogates (not encodable as UTF-8) and integers within 2**53 (the
        # doubles of a JavaScript runtime hold them exactly).
        text = st.text(st.characters(codec="utf-8"), max_size=limits.max_text)
        scalars = (
            st.none()
            | st.booleans()
            | st.integers(-(2**53), 2**53)
            | st.floats(allow_nan=False, allow_infinity=False)
            | text
        )
        return st.recursive(
            scalars,
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(text.filter(lambda k: len(k) <= 12), children, max_size=4)
            ),
            max_leaves=limits.max_leaves,
        )

    def non_json_bodies(self) -> st.SearchStrategy[bytes]:
        return (
            st.text(
                st.characters(codec="utf-8", exclude_characters="\x00\ufeff"),
                min_size=1,
                max_size=40,
            )
            .map(lambda s: s.encode("utf-8"))
            .filter(lambda b: b.strip(b" \t\r\n") != b"" and not strict_json(b))
        )

    def invalid_utf8_bodies(self) -> st.SearchStrategy[bytes]:
        def invalid(data: bytes) -> bool:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return b"\x00" not in data and not data.startswith((b"\xfe\xff", b"\xff\xfe"))
            return False

        return st.binary(min_size=1, max_size=40).filter(invalid)

    # --- existing functions -----------------------------------------------------------
    def qualified_forms_list(self, role: str) -> list[tuple[str, str | None, str]]:
        """(FunctionName, Qualifier parameter, version expected) for every way to name a
        version of `role`: each form, with the qualifier in the name or as the parameter."""
        world = self.world
        name = world.name_of(role)
        assert name is not None
        options: list[tuple[str, str | None, str]] = []
        qualifiers: list[str | None] = [None, "$LATEST"]
        qualifiers += sorted(world.versions.get(name, frozenset()))
        qualifiers += sorted(world.aliases.get(name, {}))
        for qualifier in qualifiers:
            version = world.resolve(name, qualifier)
            assert version is not None
            for form in NameForm:
                if form is NameForm.NAME_QUALIFIER:
                    if qualifier is not None:
                        options.append((f"{name}:{qualifier}", None, version))
                    continue
                plain = build(form, name, region=world.region, account=world.account)
                options.append((plain, qualifier, version))
                if qualifier is not None and form is not NameForm.NAME:
                    suffixed = build(
                        form, name, region=world.region, account=world.account, qualifier=qualifier
                    )
                    options.append((suffixed, None, version))
        return options

    def exact_json_string(self, size: int) -> bytes:
        """A JSON document of exactly `size` bytes: one string of `x`s."""
        if size < 2:
            raise ValueError("a JSON string needs at least two bytes")
        return b'"' + b"x" * (size - 2) + b'"'
