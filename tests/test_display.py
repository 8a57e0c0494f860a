"""Honest display: untrusted text cannot reorder a citation in the HTML report or drive the terminal."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from detente.analysis.pair import resolve_pair
from detente.analysis.relationship import build_report
from detente.cli import main
from detente.report.html import TEMPLATES, render_html
from detente.report.model import Window
from detente.store import connect
from detente.store.merge import merge
from detente.textsafe import BIDI_CONTROLS, escape_controls, strip_bidi

from .test_report import Doc

RLO = "\u202e"


def _hostile_doc() -> Doc:
    text = f"Russia sold jets\x1b[31m{RLO} to Turkey on April 8. Putin said \u201cwe agree\x1b[2J{RLO} fully.\u201d"
    d = Doc(text, "2024-04-10", f"Jets {RLO}for Ankara")
    rus = d.ent("state:RUS", f"Russia{RLO}", "RUS", ("Russia",))
    tur = d.ent("state:TUR", "Turkey", "TUR")
    putin = d.ent("person:vladimir-putin", "Putin", "RUS")
    d.event("sold", "COOPERATE", "arms_transfer", [rus], [tur], date=("April 8", "2024-04-08", "day"),
            obj=f"jets\x1b[31m{RLO}")  # fmt: skip
    d.quote(f"we agree\x1b[2J{RLO} fully.", putin, "Putin")
    return d


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("display") / "d.duckdb")
    con = connect(path)
    _hostile_doc().store(con)
    merge(con)
    con.close()
    return path


def _page(store: str) -> str:
    con = connect(store, read_only=True)
    try:
        return render_html(build_report(con, resolve_pair("RUS", "TUR"), Window()))
    finally:
        con.close()


def test_a_right_to_left_override_in_a_title_stays_inside_its_isolate(store):
    page = _page(store)
    assert f'<bdi>Jets {RLO}for Ankara</bdi> · <span class="mono">2024-04-10</span>' in page
    assert re.search(r"<span class=\"mono\">[0-9a-f]{12} \d+–\d+</span>", page)
    outside = re.sub(r"<bdi>.*?</bdi>", "", page, flags=re.S)
    assert not any(ch in outside for ch in BIDI_CONTROLS), "a bidi control outside an isolate"
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    assert "bdi { unicode-bidi: isolate; }" in css and ".mono { direction: ltr; unicode-bidi: isolate; }" in css


def test_ids_dates_and_offsets_lose_their_bidi_controls():
    assert strip_bidi(f"2024{RLO}-04-10\u2066") == "2024-04-10" and strip_bidi(None) == "" and strip_bidi(33) == "33"


@pytest.mark.skipif(not shutil.which("node"), reason="node not installed")
def test_a_malformed_link_fragment_does_not_throw_in_the_page(tmp_path):
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    harness = """
const row = {tagName: "TR", hidden: true, classList: {add() {}, remove() {}}, querySelectorAll: () => [],
             offsetWidth: 0};
global.document = {querySelectorAll: () => [], getElementById: (id) => (id === "timeline-0" ? row : null)};
global.window = {addEventListener() {}};
for (const hash of ["#%E0%A4%A", "#%", "#timeline-0"]) {
  global.location = {hash};
  eval(SCRIPT);
}
console.log(row.hidden ? "hidden" : "revealed");
""".replace("SCRIPT", json.dumps(script))
    proc = subprocess.run(["node", "-e", harness], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "revealed", proc.stderr


def test_query_and_report_escape_control_characters_on_the_terminal(store, capsys):
    assert main(["query", "SELECT text FROM quotes", "--db", store]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and RLO not in out and "we agree\\x1b[2J\\u202e fully." in out
    assert main(["report", "RUS", "TUR", "--db", store]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and RLO not in out and "(jets\\x1b[31m\\u202e)" in out


def test_json_output_escapes_them_and_keeps_the_value(store, capsys):
    assert main(["query", "SELECT text FROM quotes", "--db", store, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and RLO not in out
    assert json.loads(out) == [{"text": f"we agree\x1b[2J{RLO} fully."}]
    assert main(["report", "RUS", "TUR", "--db", store, "--json"]) == 0
    out = capsys.readouterr().out
    assert (
        RLO not in out
        and "\x1b" not in out
        and f"Jets {RLO}for Ankara" in json.dumps(json.loads(out), ensure_ascii=False)
    )


def test_csv_to_a_file_keeps_the_stored_value(store, capsys):
    assert main(["query", "SELECT text FROM quotes", "--db", store, "--format", "csv"]) == 0
    assert capsys.readouterr().out == f"text\nwe agree\x1b[2J{RLO} fully.\n"


def test_escapes_are_visible_and_one_line():
    assert escape_controls("a\nb\x1b[0m\u202ec\x9b") == "a\\nb\\x1b[0m\\u202ec\\x9b"
    assert escape_controls("line one\n\tline two\x07", keep="\n\t") == "line one\n\tline two\\x07"
