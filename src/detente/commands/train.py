"""`detente train events`: rebuild the learned event typer from the training data kept in the repository."""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from ..extract.events.typer import MODEL

GRID_C = (0.3, 1.0)
GRID_SYNTHETIC = (0.5, 1.0)  # weight of the synthetic stories beside real and written sentences
SYNTHETIC = "ngec_synthetic.jsonl"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["events"], help="the model to train")
    p.add_argument("--data", metavar="DIR", type=Path, help="training data (default: data/events of the project)")
    p.add_argument("--out", metavar="FILE", type=Path, default=MODEL, help="where to write the model (default: the "
                   "package's own, which extraction loads)")  # fmt: skip
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
    import spacy

    from ..pipeline import MODEL as SPACY_MODEL
    from ..train.events import DataError, build_examples, cross_validate, data_files, fit, save

    data = _data_dir(args.data)
    if data is None or not data.is_dir() or not data_files(data):
        print(f"detente train: no training data at {data or 'data/events'} (JSON Lines files)", file=sys.stderr)
        return 1
    started = time.time()
    print(f"detente train: reading {data}", file=sys.stderr)
    try:
        examples = build_examples(data, spacy.load(SPACY_MODEL))
    except DataError as exc:
        print(f"detente train: {exc}", file=sys.stderr)
        return 1
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
    model, vocab = fit(examples, c, {SYNTHETIC: w}, args.seed)
    meta = {
        "C": c, "synthetic_weight": w, "seed": args.seed, "folds": args.folds, "cross_validation": cv,
        "examples": len(examples), "features": len(vocab), "spacy_model": SPACY_MODEL,
        "data": {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in data_files(data)},
    }  # fmt: skip
    save(model, vocab, meta, args.out)
    print(f"detente train: wrote {args.out} (C={c}, synthetic weight {w}, {len(examples)} examples, "
          f"{time.time() - started:.0f} s)", file=sys.stderr)  # fmt: skip
    return 0
