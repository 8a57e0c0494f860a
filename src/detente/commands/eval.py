"""`detente eval`: score the extraction against the gold annotations and the PLOVER development sentences."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from ..documents import Document
from ..evaluate import gold as gold_files
from ..evaluate import pair_report, plover, reading
from ..evaluate.score import OVERALL_LAYERS, Report, evaluate
from ..schema import DocumentMeta, DocumentResult

EXIT_OK, EXIT_NONE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold", metavar="DIR", type=Path, help="gold annotation files (default: the project's eval/gold)")
    p.add_argument(
        "--corpus",
        metavar="DIR",
        type=Path,
        help="the texts the gold files name (default: ../shared/corpus/dev beside the project)",
    )
    p.add_argument("--only", metavar="PREFIX,...", help="only the gold files whose names start with these prefixes")
    p.add_argument(
        "--plover",
        metavar="FILE",
        type=Path,
        help="PLOVER sentences (default: ../shared/corpus/plover_gsr_dev.json beside the project)",
    )
    p.add_argument("--no-plover", action="store_true", help="leave out the PLOVER block")
    p.add_argument("--no-report", action="store_true", help="leave out the report block (eval/gold_report)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--verbose", action="store_true", help="list the misses and false positives")


def project_root() -> Path | None:
    """The nearest directory holding eval/gold: the working directory or one above it, else the source tree's."""
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents, Path(__file__).resolve().parents[3]):
        if (candidate / "eval" / "gold").is_dir():
            return candidate
    return None


def safe_extract(pipeline, documents: list[Document], failed: list[str]) -> Iterator[DocumentResult]:
    """The result of each document; one whose extraction fails is reported, added to `failed`, scored as empty."""
    for doc in documents:
        try:
            yield pipeline.extract(doc)
        except Exception as exc:  # one bad document never stops the evaluation
            failed.append(f"{doc.source}: extraction failed ({type(exc).__name__}: {exc}); scored as finding nothing")
            print(f"detente eval: {failed[-1]}", file=sys.stderr)
            meta = DocumentMeta("", None, doc.source, None, None, "en", len(doc.text), pipeline.info, [])
            yield DocumentResult(meta, [], [], [], [], [])


def _fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def print_report(report: Report, score: plover.PloverScore | None, gold_dir: Path, verbose: bool) -> None:
    print(f"gold: {len(report.documents)} documents in {gold_dir}")
    print(f"{'layer':<28}{'gold':>6}{'found':>7}{'hits':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for name, t in report.ordered():
        label = f"  {name.split('/', 1)[1]}" if "/" in name else name
        print(
            f"{label:<28}{t.tp + t.fn:>6}{t.tp + t.fp:>7}{t.tp:>6}  {_fmt(t.precision)}  {_fmt(t.recall)}  {_fmt(t.f1)}"
        )
    used = report.scored_layers
    print(
        f"overall F1 (macro mean over {len(used)} of {len(OVERALL_LAYERS)} layers): {_fmt(report.overall_f1).strip()}"
    )
    if verbose:
        for name, t in report.ordered():
            if "/" in name or not (t.misses or t.false_positives):
                continue
            print(f"\n## {name}")
            print("\n".join([f"  miss  {m}" for m in t.misses] + [f"  false {f}" for f in t.false_positives]))
    if score is not None:
        print(f"\nPLOVER development sentences: {score.records}")
        print(f"  type accuracy            {_fmt(score.type_accuracy)}  ({score.type_correct}/{score.records})")
        print(f"  source+target accuracy   {_fmt(score.sides_accuracy)}  ({score.sides_correct}/{score.sides_records})")
        if verbose:
            print("\n".join(f"  wrong {w}" for w in score.wrong))


def print_reading(s: reading.ReadingScore, verbose: bool) -> None:
    print("\nreading (eval/gold_reading: texts written for the project)")
    print(f"  certainty accuracy       {_fmt(s.certainty_accuracy)}  ({s.certainty_correct}/{s.certainty_total})")
    print(f"  disclosure date recall   {_fmt(s.disclosure_recall)}  ({s.disclosure_found}/{s.disclosure_total})")
    if verbose:
        print("\n".join(f"  wrong {w}" for w in s.wrong))


def print_pair_reports(scores: list[pair_report.PairScore], skipped: list[str], verbose: bool) -> None:
    print("\nreport (eval/gold_report: what the pair's report shows)")
    for line in skipped:
        print(f"  {line}")
    for s in scores:
        print(f"  {s.name}: {s.documents} documents, {s.rows} event rows, {s.rows_on_gold} on gold events, "
              f"{s.false_merges} false merges")  # fmt: skip
        for label, t in (("events found", s.events_found), ("events (status, date)", s.events),
                         ("merges", s.merges), ("figures", s.figures), ("figure directions", s.figure_directions),
                         ("delegation members", s.members), ("quote speakers", s.speakers)):  # fmt: skip
            extra = f"  precision {_fmt(t.precision).strip()} of {t.found}" if t.found is not None else ""
            print(f"    {label:<24}{_fmt(t.recall)}  ({t.hits}/{t.gold}){extra}")
        if verbose:
            print("\n".join(f"    note {n}" for n in s.notes))


def run(args: argparse.Namespace) -> int:
    root = project_root()
    gold_dir = args.gold or (root / "eval" / "gold" if root else None)
    if gold_dir is None or not gold_dir.is_dir():
        print(f"detente eval: no gold directory {gold_dir or '(eval/gold not found; pass --gold)'}", file=sys.stderr)
        return EXIT_USAGE
    shared = (root or Path.cwd()).parent / "shared" / "corpus"
    corpus = args.corpus or shared / "dev"
    if not corpus.is_dir():
        print(f"detente eval: no corpus directory {corpus} (pass --corpus)", file=sys.stderr)
        return EXIT_USAGE
    plover_path = None if args.no_plover else args.plover or shared / "plover_gsr_dev.json"
    if args.plover and not args.plover.is_file():
        print(f"detente eval: no PLOVER file {args.plover}", file=sys.stderr)
        return EXIT_USAGE
    if plover_path and not plover_path.is_file():
        print(f"detente eval: warning: no PLOVER file {plover_path}; PLOVER block left out", file=sys.stderr)
        plover_path = None

    only = [p.strip() for p in args.only.split(",") if p.strip()] if args.only else None
    gold = gold_files.load_all(gold_dir, corpus, only)
    for line in gold.skipped:
        print(f"detente eval: {line}", file=sys.stderr)
    for line in gold.problems:
        print(f"detente eval: warning: {line}", file=sys.stderr)
    if not gold.documents:
        print(f"detente eval: no usable gold file in {gold_dir}", file=sys.stderr)
        return EXIT_NONE

    from ..pipeline import Pipeline

    pipeline, failed = Pipeline(), []
    report = evaluate(gold.documents, safe_extract(pipeline, [d.document for d in gold.documents], failed))
    score = None
    if plover_path:
        records = plover.load(plover_path)
        score = plover.score(records, safe_extract(pipeline, plover.documents(records), failed))
    reading_dir = root / "eval" / "gold_reading" if root and not args.gold else None
    certainty = reading.score(pipeline, reading.load(reading_dir)) if reading_dir and reading_dir.is_dir() else None
    report_dir = root / "eval" / "gold_report" if root and not args.gold and not args.no_report else None
    pair_scores, report_skipped = [], []
    if report_dir and report_dir.is_dir():
        pair_golds, report_skipped = pair_report.load_all(report_dir, shared)
        pair_scores = [pair_report.score(g, pair_report.build(pipeline, g)) for g in pair_golds]

    if args.json:
        out = {
            "gold_dir": str(gold_dir),
            **report.to_json(args.verbose),
            "plover": score.to_json(args.verbose) if score else None,
            "reading": certainty.to_json(args.verbose) if certainty else None,
            "report": [s.to_json(args.verbose) for s in pair_scores],
            "skipped": gold.skipped,
            "failed": failed,
            "problems": gold.problems,
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print_report(report, score, gold_dir, args.verbose)
        if certainty:
            print_reading(certainty, args.verbose)
        if pair_scores or report_skipped:
            print_pair_reports(pair_scores, report_skipped, args.verbose)
    return EXIT_PARTIAL if gold.skipped or failed else EXIT_OK
