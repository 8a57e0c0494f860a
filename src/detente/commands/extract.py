"""`detente extract`: read articles and print the contract's JSON."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..documents import Document, Skipped, parse_date, read_inputs
from ..schema import DocumentResult, to_json
from ..textsafe import escape_controls
from . import LongTextProgress

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
        print(f"detente: --published {value!r} is not a YYYY-MM-DD date of the years 1000-2999", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    return day


def documents_with_reports(paths: Iterable[str], published, counts: dict) -> Iterator[Document]:
    """The readable documents of `paths`; skipped inputs and warnings reported on stderr."""
    for item in read_inputs(paths, published):
        if isinstance(item, Skipped):
            counts["skipped"] += 1
            print(escape_controls(f"detente: {item}"), file=sys.stderr)
            continue
        for w in item.warnings:
            print(escape_controls(f"detente: warning: {w}"), file=sys.stderr)
        yield item


def safe_results(pipeline, documents, counts: dict, with_text: bool = False):
    """Results of each document; a document whose extraction fails is reported and skipped."""
    for doc in documents:
        try:
            result = pipeline.extract(doc, with_text=with_text)
        except Exception as exc:  # one bad document never stops a batch
            counts["skipped"] += 1
            why = (str(exc).strip().splitlines() or [""])[0]
            print(escape_controls(f"detente: {doc.source}: skipped: extraction failed ({type(exc).__name__}: {why})"),
                  file=sys.stderr)  # fmt: skip
            continue
        counts["done"] += 1
        yield doc, result


def exit_code(counts: dict) -> int:
    if counts["done"] == 0:
        return EXIT_NONE
    return EXIT_PARTIAL if counts["skipped"] else EXIT_OK


def write_document(out: TextIO, result: DocumentResult) -> None:
    """One document object, as `json.dumps(to_json(result))` would write it, record by record, so that the
    output of a long text is never held as one string."""
    out.write("{")
    for i, f in enumerate(dataclasses.fields(result)):
        value = getattr(result, f.name)
        out.write(f'{", " if i else ""}"{f.name}": ')
        if not isinstance(value, list):
            out.write(json.dumps(to_json(value), ensure_ascii=False))
            continue
        out.write("[")
        for j, record in enumerate(value):
            out.write((", " if j else "") + json.dumps(to_json(record), ensure_ascii=False))
        out.write("]")
    out.write("}")


def _write_all(out: TextIO, args: argparse.Namespace, documents: Iterable[Document], counts: dict) -> None:
    from ..pipeline import Pipeline

    pipeline = None
    first = True
    if args.format == "json":
        out.write("[")
    for doc in documents:
        pipeline = pipeline or Pipeline(progress=LongTextProgress())  # loaded only once there is something to extract
        for _, result in safe_results(pipeline, [doc], counts, args.with_text):
            if args.format == "json":
                out.write("\n" if first else ",\n")
            write_document(out, result)
            if args.format == "jsonl":
                out.write("\n")
            first = False
    if args.format == "json":
        out.write("]\n" if first else "\n]\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    published = published_arg(args.published)
    counts = {"done": 0, "skipped": 0}
    target = args.output or "standard output"
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        print(escape_controls(f"detente: {target}: cannot write ({exc.strerror})"), file=sys.stderr)
        return EXIT_USAGE
    try:
        _write_all(out, args, documents_with_reports(args.paths, published, counts), counts)
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk, a vanished directory: the output is incomplete
        print(escape_controls(f"detente: {target}: cannot write ({exc.strerror or exc}); output incomplete"),
              file=sys.stderr)  # fmt: skip
        return EXIT_NONE
    finally:
        if out is not sys.stdout:
            out.close()
    return exit_code(counts)
