"""A tiny training set in the format of data/events/written/FORMAT.md, for tests that run `detente train`."""

from __future__ import annotations

import json
from pathlib import Path

PAIRS = [("Chad", "Niger"), ("Peru", "Chile"), ("Laos", "Burma"), ("Fiji", "Tonga")]


def write_tiny_data(root: Path, events: list[tuple[str, str, str, bool]], repeat: int) -> Path:
    """A folder with one JSON Lines file: for each pair of states (`repeat` times), one record per event given as
    (text with {a} and {b}, type, trigger, whether {a} acts), and one record reporting no event."""
    rows = []
    for a, b in PAIRS * repeat:
        for text, type_, trigger, a_acts in events:
            source, target = (a, b) if a_acts else (b, a)
            rows.append({"text": text.format(a=a, b=b),
                         "events": [{"type": type_, "trigger": trigger, "source": source, "target": target}]})
        rows.append({"text": f"The weather in {a} was mild.", "events": []})  # fmt: skip
    data = root / "data"
    data.mkdir()
    (data / "tiny.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return data
