#!/usr/bin/env python3
"""CI guard against quality regressions.

Runs `detente eval` on a small fixed subset of the gold texts (so CI stays
fast) and compares the overall F1 with the figure recorded for that subset in
eval/baseline.json: exits 1 when it dropped by more than 0.05, printing both.
Then scores the blind set with `../shared/tools/blind.py` (text nobody tuned
détente to) and exits 1 when one of its figures moved the wrong way by more
than 0.02 from the recorded one (accuracies and recalls may not drop; types
per sentence and events predicted per real event may not rise). Without the
blind set beside the project that part is skipped, saying so.

    .venv/bin/python eval/guard.py            # check
    .venv/bin/python eval/guard.py --update   # record the current figures (subset and full evaluation)

`--update` also records the full evaluation's per-layer figures and PLOVER
accuracies, for the README table and for comparison.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "eval" / "baseline.json"
SUBSET = ("03", "04", "22", "24")  # two stories, two readouts
TOLERANCE = 0.05
BLIND = ROOT.parent / "shared" / "tools" / "blind.py"
BLIND_TOLERANCE = 0.02
# (part, figure, +1 when higher is better, -1 when lower is better)
BLIND_FIGURES = (
    ("plover", "type_acc", 1), ("plover", "top_type_acc", 1), ("plover", "sides_acc", 1),
    ("plover", "types_per_sentence", -1), ("stories", "event_r", 1), ("stories", "events_per_gold", -1),
    ("stories", "figure_p", 1), ("stories", "figure_r", 1), ("stories", "person_p", 1), ("stories", "person_r", 1),
)  # fmt: skip


def run_eval(*args: str) -> dict:
    """The JSON figures of `detente eval` run with `args`; exits 2 when the evaluation itself fails."""
    argv = [sys.executable, "-m", "detente.cli", "eval", "--json", *args]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 3):
        sys.exit(f"guard: `{' '.join(argv[2:])}` failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout)


def blind_figures() -> dict | None:
    """The blind set's figures (with events predicted per real event), or None when the blind set is absent."""
    if not BLIND.exists() or not (BLIND.parent.parent / "blind").is_dir():
        return None
    detente = ROOT / ".venv" / "bin" / "detente"
    argv = [sys.executable, str(BLIND), "--json"] + (["--detente", str(detente)] if detente.exists() else [])
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"guard: blind.py failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    figures = json.loads(proc.stdout)
    stories = figures["stories"]
    stories["events_per_gold"] = round(stories["events_predicted"] / max(stories["events_gold"], 1), 3)
    return figures


def blind_verdicts(current: dict, recorded: dict) -> list[str]:
    """One line per guarded blind figure, ending in FAIL when it moved the wrong way by more than the tolerance."""
    lines = []
    for part, name, sign in BLIND_FIGURES:
        now, then = current[part][name], recorded[part][name]
        bad = sign * (now - then) < -BLIND_TOLERANCE
        lines.append(f"guard: blind {part} {name}: {now} (baseline {then}) {'FAIL' if bad else 'ok'}")
    return lines


def subset_f1() -> float:
    return run_eval("--only", ",".join(SUBSET), "--no-plover")["overall"]["f1"] or 0.0


def summary(figures: dict) -> dict:
    """What the baseline keeps of a full evaluation: overall F1, per-layer P/R/F1, PLOVER accuracies."""
    keep = ("precision", "recall", "f1")
    plover = figures.get("plover") or {}
    return {
        "documents": len(figures["documents"]),
        "overall_f1": figures["overall"]["f1"],
        "layers": {name: {k: t[k] for k in keep} for name, t in figures["layers"].items()},
        "plover": {k: plover.get(k) for k in ("type_accuracy", "source_target_accuracy")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite eval/baseline.json with the current figures")
    args = parser.parse_args(argv)
    current = subset_f1()
    blind = blind_figures()
    if args.update:
        baseline = {
            "guard": {"only": list(SUBSET), "overall_f1": current, "tolerance": TOLERANCE},
            "full": summary(run_eval()),
            "blind": blind,
        }
        BASELINE.write_text(json.dumps(baseline, indent=1) + "\n", encoding="utf-8")
        print(f"guard: baseline updated: subset {','.join(SUBSET)} overall F1 {current:.4f}")
        return 0
    try:
        recorded_all = json.loads(BASELINE.read_text(encoding="utf-8"))
        guard = recorded_all["guard"]
    except (OSError, ValueError, KeyError) as exc:
        print(f"guard: cannot read {BASELINE} ({exc}); run eval/guard.py --update", file=sys.stderr)
        return 2
    if tuple(guard["only"]) != SUBSET:
        print(f"guard: the baseline is for subset {guard['only']}, not {list(SUBSET)}; run --update", file=sys.stderr)
        return 2
    recorded = guard["overall_f1"]
    verdict = "FAIL" if current < recorded - TOLERANCE else "ok"
    print(
        f"guard: overall F1 on gold {','.join(SUBSET)}: {current:.4f} (baseline {recorded:.4f}, "
        f"allowed drop {TOLERANCE}) {verdict}"
    )
    failed = verdict == "FAIL"
    if blind is None:
        print("guard: the blind set is not beside the project (../shared/blind): its figures are not checked")
    elif not recorded_all.get("blind"):
        print("guard: no blind figures recorded; run eval/guard.py --update", file=sys.stderr)
        return 2
    else:
        lines = blind_verdicts(blind, recorded_all["blind"])
        print("\n".join(lines))
        failed = failed or any(line.endswith("FAIL") for line in lines)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
