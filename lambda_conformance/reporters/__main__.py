"""Command line: `python -m lambda_conformance.reporters render|matrix ...`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lambda_conformance.reporters.matrix import render_matrix_html, render_matrix_markdown
from lambda_conformance.reporters.render import append_step_summary, render_all
from lambda_conformance.results.store import RecordError, load_record, write_text_atomically


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lambda_conformance.reporters",
                                     description="Render reports from results.json records.")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="all reports of one run")
    render.add_argument("record", metavar="RESULTS_JSON", type=Path)
    render.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="directory for junit.xml, summary.md, report.html, badge.*")
    render.add_argument("--no-step-summary", action="store_true",
                        help="do not append summary.md to $GITHUB_STEP_SUMMARY")
    matrix = commands.add_parser("matrix", help="requirement × implementation comparison")
    matrix.add_argument("records", metavar="RESULTS_JSON", type=Path, nargs="+")
    matrix.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="directory for matrix.md and matrix.html")
    matrix.add_argument("--label", action="append", default=[],
                        help="column name of the record at the same position (repeatable; "
                             "default: the target's host:port)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "render":
            record = load_record(args.record)
            written = render_all(record, args.out)
            if not args.no_step_summary:
                append_step_summary(written["summary.md"].read_text(encoding="utf-8"))
            for path in written.values():
                print(path)
        else:
            records = [load_record(path) for path in args.records]
            for name, text in (("matrix.md", render_matrix_markdown(records, args.label)),
                               ("matrix.html", render_matrix_html(records, args.label))):
                path = args.out / name
                write_text_atomically(path, text)
                print(path)
    except (RecordError, OSError) as error:
        # One paragraph, no traceback: a bad input file is the user's to fix.
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
