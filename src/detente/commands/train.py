"""`detente train events|sides|confidence`: rebuild a learned model of the event layer from the training data
kept in the repository: the event typer, the side model (who acts, who receives), or the confidence model (how
likely an event is right)."""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from ..extract.events.confidence import MODEL as CONFIDENCE_MODEL
from ..extract.events.sides import MODEL as SIDES_MODEL
from ..extract.events.typer import MODEL as TYPER_MODEL

GRID_C = (0.3, 1.0)
GRID_SYNTHETIC = (0.5, 1.0)  # weight of the synthetic stories beside real and written sentences
SYNTHETIC = "ngec_synthetic.jsonl"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["events", "sides", "confidence"],
                   help="the model to train: the event typer, the side model or the confidence model")  # fmt: skip
    p.add_argument("--data", metavar="DIR", type=Path, help="training data (default: data/events of the project)")
    p.add_argument("--out", metavar="FILE", type=Path, help="where to write the model (default: the package's own, "
                   "which extraction loads)")  # fmt: skip
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds for choosing settings (default 5)")
    p.add_argument("--seed", type=int, default=0, help="seed of the folds and the solver (default 0)")
    p.add_argument("--no-search", action="store_true", help="train with the first settings of the grid, no search")


def _data_dir(given: Path | None) -> Path | None:
    if given is not None:
        return given
    for root in (Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parents[3]):
        if (root / "data" / "events").is_dir():
            return root / "data" / "events"
    return None


def run(args: argparse.Namespace) -> int:
    from ..train.events import DataError, data_files

    data = _data_dir(args.data)
    if data is None or not data.is_dir() or not data_files(data):
        print(f"detente train: no training data at {data or 'data/events'} (JSON Lines files)", file=sys.stderr)
        return 1
    started = time.time()
    print(f"detente train: reading {data}", file=sys.stderr)
    train = {"events": _train_events, "sides": _train_sides, "confidence": _train_confidence}[args.what]
    try:
        out, summary = train(args, data)
    except DataError as exc:
        print(f"detente train: {exc}", file=sys.stderr)
        return 1
    print(f"detente train: wrote {out} ({summary}, {time.time() - started:.0f} s)", file=sys.stderr)
    return 0


def _provenance(args: argparse.Namespace, data: Path) -> dict:
    from ..pipeline import MODEL as SPACY_MODEL
    from ..train.events import data_files

    return {
        "seed": args.seed, "folds": args.folds, "spacy_model": SPACY_MODEL,
        "data": {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in data_files(data)},
    }  # fmt: skip


def _train_events(args: argparse.Namespace, data: Path) -> tuple[Path, str]:
    import spacy

    from ..pipeline import MODEL as SPACY_MODEL
    from ..train.events import DataError, build_examples, cross_validate
    from ..train.linear import fit, save

    examples = build_examples(data, spacy.load(SPACY_MODEL))
    if not examples:
        raise DataError(f"{data}: no record gives a training example")
    grid = [(c, w) for c in GRID_C for w in GRID_SYNTHETIC][: 1 if args.no_search else None]
    scored = []
    for c, w in grid:
        cv = cross_validate(examples, c, {SYNTHETIC: w}, args.folds, args.seed)
        real = cv.get("plover_dev.jsonl", 0.0)
        written = [v for k, v in cv.items() if k.startswith("written/")]
        key = real + sum(written) / max(len(written), 1) + cv.get("no event", 0.0)
        scored.append((key, c, w, cv))
        print(f"  C={c} synthetic weight={w}: {cv}", file=sys.stderr)
    _, c, w, cv = max(scored, key=lambda x: x[0])
    model, vocab = fit(examples, c, args.seed, {SYNTHETIC: w})
    meta = {"C": c, "synthetic_weight": w, "cross_validation": cv, "examples": len(examples), "features": len(vocab)}
    out = args.out or TYPER_MODEL
    save(model, vocab, meta | _provenance(args, data), out)
    return out, f"C={c}, synthetic weight {w}, {len(examples)} examples"


def _train_sides(args: argparse.Namespace, data: Path) -> tuple[Path, str]:
    from dataclasses import asdict

    from ..train.events import DataError, data_files
    from ..train.linear import fit, save
    from ..train.sides import GRID_C, RULES_ONLY, choose, collect, cross_validate, examples

    decisions = collect(data, data_files(data))
    if not any(d.real for d in decisions):
        raise DataError(f"{data}: no record names who acts and who receives in an event the extraction finds")
    results = {}
    for c in GRID_C[: 1 if args.no_search else None]:
        scores, rules_real = cross_validate(decisions, c, args.folds, args.seed)
        results.update({(c, th): s for th, s in scores.items()})
        print(f"  C={c}: rules alone {scores[RULES_ONLY]}, their events real {rules_real:.3f}", file=sys.stderr)
    c, th = choose(results, rules_real)
    chosen, rules = results[c, th], results[c, RULES_ONLY]
    print(f"  chose C={c}, {th}: {chosen}", file=sys.stderr)
    model, vocab = fit(examples(decisions), c, args.seed)
    meta = {
        "C": c, "thresholds": asdict(th), "decisions": len(decisions), "features": len(vocab),
        "cross_validation": {"chosen": asdict(chosen), "rules_alone": asdict(rules), "rules_events_real": rules_real},
    }  # fmt: skip
    out = args.out or SIDES_MODEL
    save(model, vocab, meta | _provenance(args, data), out)
    return out, f"C={c}, {len(decisions)} decisions, sides right {rules.sides_right} -> {chosen.sides_right}"


def _train_confidence(args: argparse.Namespace, data: Path) -> tuple[Path, str]:
    from ..extract.events.typer import load_typer
    from ..train.confidence import GRID_C, calibration, choose_ratio, examples, held_out, read_folds, top_right
    from ..train.events import DataError, data_files
    from ..train.linear import fit, save

    typer = load_typer().meta
    weights = {SYNTHETIC: typer.get("synthetic_weight", 1.0)}
    reads = read_folds(data, data_files(data), typer.get("C", GRID_C[0]), weights, args.folds, args.seed)
    verdicts = {j.right for r in reads for j in r.events}
    if verdicts != {True, False}:
        found = "no event" if not verdicts else "only right events" if True in verdicts else "only wrong events"
        raise DataError(f"{data}: the extraction makes {found} on these records: nothing to learn how sure to be")
    before = top_right(reads, lambda j: j.rule)
    scored = []
    for c in GRID_C[: 1 if args.no_search else None]:
        prob = held_out(reads, c, args.folds, args.seed)
        after = top_right(reads, lambda j, p=prob: p[id(j)])
        scored.append((sum(after.values()), c, prob, after))
        print(f"  C={c}: most confident event of a record's type {after} (rule of thumb {before})", file=sys.stderr)
    _, c, prob, after = max(scored, key=lambda x: x[0])
    ratio, dropped = choose_ratio(reads, prob)
    model, vocab = fit(examples(reads), c, args.seed)
    meta = {
        "C": c, "ratio": ratio, "events": sum(len(r.events) for r in reads), "features": len(vocab),
        "cross_validation": {"top_right": after, "top_right_rule": before, "calibration": calibration(reads, prob),
                             "ratios": dropped},
    }  # fmt: skip
    out = args.out or CONFIDENCE_MODEL
    save(model, vocab, meta | _provenance(args, data), out)
    return out, f"C={c}, ratio {ratio}, most confident event right {before} -> {after}"
