"""Command line of the spec layer: OpenAPI export, botocore drift check, generated docs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lambda_conformance.spec.drift import drift, stale_expectations, unexpected
from lambda_conformance.spec.evidence import (
    OBSERVED_PATH,
    load_evidence,
    observed_rows,
    problems,
)
from lambda_conformance.spec.evidence import render as render_evidence
from lambda_conformance.spec.loader import (
    DEFAULT_SPEC_PATH,
    PROFILES,
    ROOT,
    SpecError,
    load_raw,
    load_spec,
)
from lambda_conformance.spec.openapi import render as render_openapi
from lambda_conformance.spec.traceability import render_profiles, render_traceability

# What `generate` writes, relative to the repository root.
OPENAPI_DIR = Path("spec") / "openapi"
TRACEABILITY_DOC = Path("docs") / "traceability.md"
PROFILES_DOC = Path("docs") / "profiles.md"
EVIDENCE_DOC = Path("docs") / "evidence-coverage.md"


def openapi_path(profile: str, operation: str = "invoke") -> Path:
    """The export of one operation under one profile (Invoke keeps its historic name)."""
    stem = "invoke" if operation == "invoke" else f"invoke-{operation}"
    return OPENAPI_DIR / f"{stem}.{profile}.json"


def companion_traceability(
    spec_path: Path | None, name: str
) -> dict[Path, Callable[[], str]]:
    """docs/traceability-<key>.md of a companion operation document."""
    companion = (spec_path or DEFAULT_SPEC_PATH).parent / name
    key = load_raw(companion)["operation"]["key"]
    doc = Path("docs") / f"traceability-{key}.md"
    command = f"python -m lambda_conformance.spec generate  # writes {doc}"
    return {
        doc: lambda: render_traceability(load_raw(companion), f"spec/{name}", command)
    }


def generated_files(spec_path: Path | None = None) -> dict[Path, Callable[[], str]]:
    """Every generated file (relative to the repository root) and how to render it."""

    def openapi(profile: str, operation: str) -> Callable[[], str]:
        return lambda: render_openapi(load_spec(profile, spec_path).for_operation(operation))

    files: dict[Path, Callable[[], str]] = {
        openapi_path(p, key): openapi(p, key)
        for p in PROFILES
        for key in load_spec(p, spec_path).operation_keys
    }
    files[TRACEABILITY_DOC] = lambda: render_traceability(load_raw(spec_path))
    for name in load_raw(spec_path).get("companions", []):
        files.update(companion_traceability(spec_path, name))
    files[PROFILES_DOC] = lambda: render_profiles(load_raw(spec_path))
    files[EVIDENCE_DOC] = lambda: render_evidence(load_evidence(), spec_path)
    return files


def _emit(text: str, out: Path | None, check: bool) -> int:
    """Write `text` to `out` (stdout when None); with `check`, only compare."""
    if out is None:
        sys.stdout.write(text)
        return 0
    if check:
        current = out.read_text(encoding="utf-8") if out.exists() else None
        if current != text:
            print(
                f"{out}: stale; regenerate it with the same command without --check",
                file=sys.stderr,
            )
            return 1
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _drift(spec_path: Path | None) -> int:
    raw = load_raw(spec_path)
    differences = drift(raw)
    for difference in differences:
        print(difference)
    stale = stale_expectations(raw, differences)
    for item in stale:
        print(
            f"STALE      {item}: listed in botocore_expected_drift, but the model no longer differs"
        )
    bad = unexpected(differences)
    print(
        f"\n{len(differences)} differences: {len(differences) - len(bad)} expected, "
        f"{len(bad)} unexpected; {len(stale)} stale expectations."
    )
    return 1 if bad or stale else 0


def _evidence(spec_path: Path | None, out: Path | None, check: bool) -> int:
    evidence = load_evidence()
    rows = None
    if OBSERVED_PATH.exists():
        rows = observed_rows(OBSERVED_PATH.read_text(encoding="utf-8"))
    found = problems(evidence, rows=rows, spec_path=spec_path)
    for problem in found:
        print(f"spec/evidence.yaml: {problem}", file=sys.stderr)
    status = _emit(render_evidence(evidence, spec_path), out, check)
    return 1 if found else status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lambda_conformance.spec", description=__doc__)
    parser.add_argument(
        "--spec", type=Path, default=None, help="spec file (default: spec/invoke.yaml)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def output_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--out", type=Path, default=None, help="file to write (default: stdout)"
        )
        command.add_argument(
            "--check", action="store_true", help="fail if --out differs instead of writing"
        )

    openapi = commands.add_parser("openapi", help="export the OpenAPI 3.0 document of one profile")
    openapi.add_argument("--profile", choices=PROFILES, default="documented")
    output_options(openapi)
    commands.add_parser("drift", help="compare the documented spec with botocore's Lambda model")
    output_options(commands.add_parser("trace", help="render docs/traceability.md"))
    output_options(commands.add_parser("profiles", help="render docs/profiles.md"))
    evidence = commands.add_parser(
        "evidence",
        help="check spec/evidence.yaml (every GT row and page section judged or explained) "
        "and render docs/evidence-coverage.md",
    )
    output_options(evidence)
    generate = commands.add_parser("generate", help="write every generated file of the spec layer")
    generate.add_argument(
        "--check", action="store_true", help="fail if any file is stale instead of writing"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    spec_path: Path | None = args.spec
    try:
        if args.command == "openapi":
            return _emit(render_openapi(load_spec(args.profile, spec_path)), args.out, args.check)
        if args.command == "drift":
            return _drift(spec_path)
        if args.command == "trace":
            return _emit(render_traceability(load_raw(spec_path)), args.out, args.check)
        if args.command == "profiles":
            return _emit(render_profiles(load_raw(spec_path)), args.out, args.check)
        if args.command == "evidence":
            return _evidence(spec_path, args.out, args.check)
        status = 0
        for relative, render in generated_files(spec_path).items():
            status |= _emit(render(), ROOT / relative, args.check)
        return status
    except SpecError as exc:
        # The message already names the file, the field and the line: no traceback.
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
