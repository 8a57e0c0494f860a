#!/usr/bin/env python3
"""Regenerate the README's "Quality and speed" section from `detente eval --json` and the benchmark's JSON.

    .venv/bin/python eval/update_readme.py                                  # runs both (about two minutes)
    .venv/bin/python eval/update_readme.py --eval eval.json --bench bench.json

The section lies between the comments `<!-- quality-and-speed:start -->` and
`<!-- quality-and-speed:end -->`; it is appended to the README when they are
missing. Everything else in the
README is left as it is.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- quality-and-speed:start -->", "<!-- quality-and-speed:end -->"
EVAL_CMD = ".venv/bin/detente eval"
BENCH_CMD = ".venv/bin/python benchmarks/bench_extract.py"


def _run_json(argv: list[str]) -> dict:
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 3):
        sys.exit(f"update_readme: {' '.join(argv)} failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout)


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def quality_table(ev: dict) -> list[str]:
    lines = ["| layer | gold | found | P | R | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for name, t in ev["layers"].items():
        if "/" in name and not name.startswith("entities/"):
            continue  # the per-type event rows stay in `detente eval`'s own output
        label = f"&nbsp;&nbsp;{name.split('/', 1)[1]}" if "/" in name else name
        lines.append(
            f"| {label} | {t['gold']} | {t['found']} | {_num(t['precision'])} | {_num(t['recall'])} | {_num(t['f1'])} |"
        )
    overall = ev["overall"]
    lines.append(
        f"| **overall F1** (macro mean of {len(overall['layers'])} layers) | | | | | **{_num(overall['f1'])}** |"
    )
    return lines


def plover_line(p: dict | None) -> list[str]:
    if not p:
        return []
    return [
        f"PLOVER development sentences ({p['records']}): type accuracy **{_num(p['type_accuracy'])}** "
        f"({p['type_correct']}/{p['records']}); source+target accuracy **{_num(p['source_target_accuracy'])}** "
        f"({p['source_target_correct']}/{p['source_target_records']}).",
    ]


def speed_table(b: dict) -> list[str]:
    t, ev, marks = b["throughput"], b["event_layer"], b["stream"]
    event = (
        f"{ev['without_words_per_s']:,} words/s without it; {ev['share_of_full_time']:.1%} of full time"
        if ev
        else "n/a (no events extractor registered)"
    )
    last = marks[-1]
    return [
        "| speed (CPU time, one process, one run) | figure |",
        "|---|---|",
        f"| bare spaCy (`nlp.pipe`, {b['model']}) | {t['bare_spacy_words_per_s']:,} words/s |",
        f"| full extraction (`Pipeline.run` + JSON) | {t['full_words_per_s']:,} words/s |",
        f"| ratio full / bare | **{t['ratio']:.2f}** |",
        f"| event layer | {event} |",
        "| time per document over stream documents "
        + " → ".join(f"{m['first_document']:,}–{m['documents']:,}" for m in marks)
        + " | "
        + " → ".join(f"{m['ms_per_doc']:.1f} ms" for m in marks)
        + f"; ratio **{last['time_ratio']:.2f}** |",
        f"| peak RSS at {marks[-2]['documents']:,} → {last['documents']:,} documents | "
        f"{marks[-2]['peak_rss_mb']:.0f} → {last['peak_rss_mb']:.0f} MB; ratio **{b['memory_ratio']:.2f}** |",
        f"| text | {t['words']:,} words in {t['documents']} documents of shuffled sentences; a stream of "
        f"{last['documents']:,} documents of 10 sentences |",
    ]


def section(ev: dict, bench: dict) -> str:
    lines = [
        START,
        "## Quality and speed",
        "",
        f"Quality is measured on {len(ev['documents'])} development texts annotated by hand (`eval/gold/`, format "
        "in `eval/GOLD_FORMAT.md`, matching rules in `eval/README.md`); speed on one CPU core with the "
        f"benchmark's {bench['mode']} run. Reproduce with `{EVAL_CMD}` (add `--verbose` for every miss and false "
        f"positive) and `{BENCH_CMD}`; refresh this section with `.venv/bin/python eval/update_readme.py`.",
        "",
        *quality_table(ev),
        "",
        *plover_line(ev.get("plover")),
        "",
        *speed_table(bench),
        END,
    ]
    return "\n".join(lines)


def replace_section(readme: str, new: str) -> str:
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        return head + new + rest.split(END, 1)[1]
    return readme.rstrip("\n") + "\n\n" + new + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, metavar="FILE", help="saved `detente eval --json` output")
    parser.add_argument("--bench", type=Path, metavar="FILE", help="saved `bench_extract.py --json` output")
    args = parser.parse_args(argv)
    python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").is_dir() else sys.executable
    ev = (
        json.loads(args.eval.read_text(encoding="utf-8"))
        if args.eval
        else _run_json([python, "-m", "detente.cli", "eval", "--json"])
    )
    bench = (
        json.loads(args.bench.read_text(encoding="utf-8"))
        if args.bench
        else _run_json([python, "benchmarks/bench_extract.py", "--json"])
    )
    README.write_text(replace_section(README.read_text(encoding="utf-8"), section(ev, bench)), encoding="utf-8")
    print(
        f"update_readme: {README} section refreshed (overall F1 {_num(ev['overall']['f1'])}, "
        f"speed ratio {bench['throughput']['ratio']:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
