"""`detente report A B`: the relationship between two states from the store, as text, JSON or one HTML file."""

from __future__ import annotations

import argparse
import json
import sys

from ..store import DEFAULT_DB
from ..textsafe import escape_controls, json_safe
from . import EXIT_USAGE, CommandError, one_line_failures
from .store_access import read_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help='a state: name or ISO code ("India", "RUS"), or EU')
    p.add_argument("b", metavar="B", help="the other state")
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--since", metavar="DATE", help="only facts from this date on (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="only facts up to this date")
    p.add_argument("--json", action="store_true", help="print the report as JSON (see docs/report.md)")
    p.add_argument("--html", metavar="FILE", help="write the report as one self-contained HTML file")
    p.add_argument("--markdown", metavar="FILE", help="write the report as Markdown with numbered source notes")
    p.add_argument("--csv", metavar="DIR", help="write the timeline and the figures as timeline.csv and figures.csv")


@one_line_failures("detente report")
def run(args: argparse.Namespace) -> int:
    from ..analysis.facts import open_store
    from ..analysis.pair import UnknownSide, resolve_pair
    from ..analysis.relationship import build_report, date_window
    from ..report.model import Window, to_json

    try:
        pair = resolve_pair(args.a, args.b)
    except UnknownSide as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    window = Window(args.since, args.until)
    try:
        date_window(window)
    except ValueError as exc:
        raise CommandError(f"--since/--until: {exc}", EXIT_USAGE) from None
    with read_store(args.db, open_store) as con:
        report = build_report(con, pair, window)
    if args.html:
        from ..report.html import render_html

        _write(args.html, lambda path: _text(path, render_html(report)))
    if args.markdown:
        from ..report.takeaway import render_markdown

        _write(args.markdown, lambda path: _text(path, render_markdown(report)))
    if args.csv:
        from ..report.takeaway import write_csv

        _write(args.csv, lambda path: write_csv(report, path))
    if args.json:
        sys.stdout.write(json_safe(json.dumps(to_json(report), ensure_ascii=False, indent=1)) + "\n")
    elif not (args.html or args.markdown or args.csv):
        from ..report.text import render_text

        sys.stdout.write(escape_controls(render_text(report), keep="\n\t"))  # article text may hold escapes
    return 0


def _text(path, text: str) -> list:
    path.write_text(text, encoding="utf-8")
    return [path]


def _write(target: str, writer) -> None:
    """Run `writer(Path)`, which returns the files it wrote; a failure is a one-line reason naming the target."""
    from pathlib import Path

    try:
        written = writer(Path(target))
    except OSError as exc:
        raise CommandError(f"{target}: cannot write ({exc.strerror})") from None
    print(f"detente report: wrote {', '.join(str(w) for w in written)}", file=sys.stderr)
