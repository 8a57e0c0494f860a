"""Rebuild the converted training files of this folder from their origins.

    python data/events/convert.py PLOVER_JSON NGEC_ZIP

PLOVER_JSON: the PLOVER development records (`plover_gsr_dev.json`); NGEC_ZIP:
`setup/train_classifiers/gpt_synthetic_events_2023-10-19_19.csv.zip` of
ahalterman/NGEC-2025. Writes `plover_dev.jsonl` and `ngec_synthetic.jsonl`
in the format of `written/FORMAT.md` (see PROVENANCE.md for what is changed).
"""

import csv
import io
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
MARK = re.compile(r"\((SRC|TAR|SRC/TAR|EVT): ")
LEAD_CHARS = 600


def _marked(markup: str, kind: str) -> list[str]:
    """The texts of the markup's `(KIND: …)` spans, parentheses inside them balanced."""
    out = []
    for m in MARK.finditer(markup):
        if kind not in m.group(1).split("/"):
            continue
        depth, i = 1, m.end()
        while i < len(markup) and depth:
            depth += {"(": 1, ")": -1}.get(markup[i], 0)
            i += 1
        out.append(markup[m.end() : i - 1])
    return out


def _once(text: str, part: str | None) -> str | None:
    return part if part and text.count(part) == 1 else None


def plover(path: str) -> list[dict]:
    rows = []
    for r in json.load(open(path, encoding="utf-8")):
        if not r.get("text") or r.get("event") == "DOCUMENT":
            continue
        info = r.get("textInfo")
        text, markup = r["text"], (info.get("markup") or "") if isinstance(info, dict) else ""
        src, tar = _marked(markup, "SRC"), _marked(markup, "TAR")
        source, target = (src[0] if src else None), (tar[0] if tar else None)
        mode = r.get("mode") or None
        symmetric = bool(src and tar and src[0] == tar[0] and len(src) > 1)
        if symmetric:
            source, target = src[0], src[1]
        if r["event"] == "CONSULT" and mode == "host":  # the contract codes a visit visitor -> host
            source, target, mode = target, source, "visit"
        evt = [e for e in _marked(markup, "EVT") if _once(text, e)]
        rows.append({
            "id": r["id"], "text": text,
            "events": [{"type": OLD_NAMES.get(r["event"], r["event"]), "mode": mode, "trigger": None,
                        "source": _once(text, source), "target": _once(text, target), "symmetric": symmetric,
                        "negated": False, "hypothetical": False, "marked": evt}],
            "tags": ["plover_dev"],
        })  # fmt: skip
    return rows


def ngec(path: str) -> list[dict]:
    with zipfile.ZipFile(path) as z:
        raw = z.read(z.namelist()[0]).decode("utf-8")
    rows = []
    for i, r in enumerate(csv.DictReader(io.StringIO(raw))):
        lead = r["text"].strip().split("\n\n")[0][:LEAD_CHARS]
        if not lead:
            continue
        rows.append({
            "id": f"ngec-{i}", "text": lead,
            "events": [{"type": r["label"], "mode": (r["mode"] or "").lower() or None, "trigger": None,
                        "source": None, "target": None, "negated": False, "hypothetical": False}],
            "tags": ["synthetic_lead"],
        })  # fmt: skip
    return rows


def _write(name: str, rows: list[dict]) -> None:
    with open(HERE / name, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} records")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    _write("plover_dev.jsonl", plover(sys.argv[1]))
    _write("ngec_synthetic.jsonl", ngec(sys.argv[2]))
