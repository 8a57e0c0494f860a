"""`detente extract`: read articles and print the contract's JSON."""

from __future__ import annotations

import argparse
import json
import sys

from ..documents import Document, Skipped, parse_date, read_inputs
from ..schema import to_json

EXIT_OK, EXIT_NONE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="txt/md/html/jsonl files, directories, or - for stdin")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="anchor for relative dates when an input has none")
    p.add_argument("--format", choices=("json", "jsonl"), default="json")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--with-text", action="store_true", help="add document.text to each document")


def published_arg(value: str | None):
    """The `--published` date, or exit with a usage error."""
    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        print(f"detente: --published {value!r} is not a YYYY-MM-DD date", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    return day


def documents_with_reports(paths, published, counts: dict) -> object:
    """The readable documents of `paths`; skipped inputs and warnings reported on stderr."""
    for item in read_inputs(paths, published):
        if isinstance(item, Skipped):
            counts["skipped"] += 1
            print(f"detente: {item}", file=sys.stderr)
            continue
        for w in item.warnings:
            print(f"detente: warning: {w}", file=sys.stderr)
        yield item


def safe_results(pipeline, documents, counts: dict, with_text: bool = False):
    """Results of each document; a document whose extraction fails is reported and skipped."""
    for doc in documents:
        try:
            result = pipeline.extract(doc, with_text=with_text)
        except Exception as exc:  # one bad document never stops a batch
            counts["skipped"] += 1
            print(f"detente: {doc.source}: skipped: extraction failed ({type(exc).__name__}: {exc})", file=sys.stderr)
            continue
        counts["done"] += 1
        yield doc, result


def exit_code(counts: dict) -> int:
    if counts["done"] == 0:
        return EXIT_NONE
    return EXIT_PARTIAL if counts["skipped"] else EXIT_OK


def run(args: argparse.Namespace) -> int:
    from ..pipeline import Pipeline

    published = published_arg(args.published)
    counts = {"done": 0, "skipped": 0}
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        print(f"detente: {args.output}: cannot write ({exc.strerror})", file=sys.stderr)
        return EXIT_USAGE
    docs: list[Document] = documents_with_reports(args.paths, published, counts)
    pipeline = None
    first = True
    try:
        if args.format == "json":
            out.write("[")
        for doc in docs:
            pipeline = pipeline or Pipeline()
            for _, result in safe_results(pipeline, [doc], counts, args.with_text):
                line = json.dumps(to_json(result), ensure_ascii=False)
                if args.format == "json":
                    out.write(("\n" if first else ",\n") + line)
                else:
                    out.write(line + "\n")
                first = False
        if args.format == "json":
            out.write("\n]\n" if not first else "]\n")
        out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    return exit_code(counts)
