"""The analyst's reading: certainty, disclosure and absences in the extraction; the `reading` of the report from a
store; `detente pairs`. Texts written for these tests."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from detente.analysis.facts import open_store
from detente.analysis.pair import resolve_pair
from detente.analysis.pairs import asymmetry, rank_pairs
from detente.analysis.relationship import build_report
from detente.cli import main
from detente.documents import Document
from detente.report.html import render_html
from detente.report.model import Window, to_json
from detente.store import connect
from detente.store.ingest import write_result
from detente.store.merge import merge

sys.path.insert(0, str(Path(__file__).parent))
from reading_rows import write_reading  # noqa: E402

LATE = ("Russia sold Su-35 fighter jets to China in September 2014, but the deal was not disclosed until eight "
        "months later. There is every reason to believe that Russian Foreign Minister Sergey Lavrov discussed arms "
        "sales when he met Chinese Foreign Minister Wang Yi in Beijing. China could buy more Russian gas next year. "
        "No major new deals were announced during the visit. China has refrained from selling weapons to Russia. "
        "Trade between Russia and China reached $68 billion in 2014.")  # fmt: skip
OTHER = ("Trade between Russia and China reached $95 billion in 2014, the Kremlin said. Sergei Lavrov said Russia "
         "supplied helicopters to China. Beijing has not made any new deals public. North Korea sent troops to "
         "Russia, and North Korea delivered shells to Russia.")  # fmt: skip


def _event(result, trigger: str):
    return next(e for e in result.events if e.trigger.text == trigger)


@pytest.fixture(scope="module")
def late(extract):
    return extract(LATE, "2015-06-01")


def test_late_disclosure(late):
    sold = _event(late, "sold")
    assert sold.date.value == "2014-09"
    assert (sold.disclosure.value, sold.disclosure.precision) == ("2015-05", "month")
    assert LATE[sold.disclosure.start : sold.disclosure.end] == "eight months later"


def test_inference_cue(late):
    met = _event(late, "met")
    assert met.certainty.value == "inferred"
    assert met.certainty.cue.text == "There is every reason to believe"


def test_hedged_and_reported(late):
    buy = _event(late, "buy")
    assert (buy.certainty.value, buy.certainty.cue.text) == ("hedged", "could")
    assert _event(late, "sold").certainty.value == "reported"
    assert all(q.certainty.value == "reported" for q in late.quantities)


def test_claimed(extract):
    r = extract("Lavrov said Russia supplied helicopters to China. China likely bought $2 billion of oil.")
    supplied = _event(r, "supplied")
    assert (supplied.certainty.value, supplied.certainty.cue.text) == ("claimed", "said")
    assert r.quantities[0].certainty.value == "inferred"


def test_absences(late, extract):
    whats = {a.what: a for a in late.absences}
    assert "major new deals" in whats and whats["major new deals"].text == "No major new deals were announced"
    refrain = whats["selling weapons"]
    assert refrain.text == "refrained from selling weapons" and "state:CHN" in refrain.entities
    assert refrain.negated_event == _event(late, "selling").id
    assert [a.id for a in late.absences] == [f"a{i}" for i in range(1, len(late.absences) + 1)]
    text = (
        "Beijing has not made any new deals public. The ministry did not publish the list of officials. "
        "Russia provided almost no material support. This is not only a trade deal but also a pact."
    )
    r = extract(text)
    assert [(a.text, a.what) for a in r.absences] == [
        ("not made any new deals public", "new deals"),
        ("not publish the list of officials", "list of officials"),
        ("provided almost no material support", "material support"),
    ]


def test_delay_is_no_absence(late):
    assert not any("disclosed" in a.text for a in late.absences)


def test_dev_text_has_reading_fields(dev_result):
    _, r = dev_result("05")
    assert all(e.certainty is not None for e in r.events) and all(q.certainty for q in r.quantities)
    assert isinstance(r.absences, list)


@pytest.fixture(scope="module")
def store(pipeline, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("reading") / "r.duckdb")
    con = connect(path)
    results = []
    for i, (text, day) in enumerate(((LATE, "2015-06-01"), (OTHER, "2015-07-01"))):
        doc = Document(text=text, source=f"https://example.org/{i}", published=dt.date.fromisoformat(day))
        result = pipeline.extract(doc)
        write_result(con, result, doc)
        results.append(result)
    merge(con)
    write_reading(con, results)
    con.close()
    return path


@pytest.fixture(scope="module")
def reading(store):
    con = open_store(store)
    try:
        report = build_report(con, resolve_pair("Russia", "China"), Window())
    finally:
        con.close()
    return report, to_json(report)["reading"]


def test_reading_report(reading):
    _, r = reading
    assert set(r) >= {"disclosures", "inferences", "absences", "contradictions", "name_notes", "comparable"}
    late = next(d for d in r["disclosures"]["events"] if d["basis"] == "stated")
    assert (late["date"], late["disclosed"], late["lag_days"]) == ("2014-09", "2015-05", 242)
    assert late["sources"] and r["disclosures"]["patterns"][0]["text"].startswith("arms: median lag 8 months")
    inferred = [i for i in r["inferences"] if i["certainty"] == "inferred"]
    assert inferred and inferred[0]["cue"]["text"] == "There is every reason to believe"
    assert {"major new deals", "new deals"} <= {a["what"] for a in r["absences"]}
    figure = next(c for c in r["contradictions"] if c["kind"] == "figure")
    assert sorted(c["text"] for c in figure["claims"]) == ["$68 billion", "$95 billion"]
    note = next(n for n in r["name_notes"] if n["text_form"] == "Sergey Lavrov")
    assert note["canonical"] == "Sergei Lavrov" and note["sources"][0]["text"] == "Sergey Lavrov"
    assert r["comparable"]["rank"] and r["comparable"]["of"] >= 2
    for part in ("inferences", "absences", "contradictions", "name_notes"):
        assert all(x["sources"] for x in r[part]), part


def test_reading_html(reading):
    report, _ = reading
    page = render_html(report)
    assert 'id="reading"' in page and "There is every reason to believe" in page and "Sergey Lavrov" in page


def test_pairs_ranking(store, capsys):
    con = open_store(store)
    try:
        rows = rank_pairs(con)
    finally:
        con.close()
    korea = next(r for r in rows if (r.a, r.b) == ("PRK", "RUS"))
    assert korea.directed == {"a_to_b": 2, "b_to_a": 0}
    assert korea.asymmetry == asymmetry(2, 0) == 0.5 and korea.sources
    assert [r.asymmetry for r in rows] == sorted((r.asymmetry for r in rows), reverse=True)
    assert main(["pairs", "--db", store, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {(p["a"], p["b"]) for p in out} >= {("PRK", "RUS"), ("RUS", "CHN")}


def test_pairs_missing_store(tmp_path, capsys):
    assert main(["pairs", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no such database" in capsys.readouterr().err


def test_idioms_and_reporters_conventions_are_no_absences(extract):
    r = extract(
        "There is no substitute for diplomacy. The guard did not give his full name. Rome did not sign the pact."
    )
    assert [a.what for a in r.absences] == ["pact"]


def test_a_possibility_is_no_absence(extract):
    r = extract("Leaders in Europe fear Russia may not stop at Ukraine. China has never condemned the invasion of "
                "Ukraine by Russia.")  # fmt: skip
    assert [a.text for a in r.absences] == ["never condemned the invasion of Ukraine by Russia"]


def test_no_pair_is_called_similar_when_none_is_close(store):
    from detente.analysis.pairs import distance

    con = open_store(store)
    try:
        report = build_report(con, resolve_pair("Russia", "China"), Window())
        rows = rank_pairs(con)
    finally:
        con.close()
    me = next(r for r in rows if {r.a, r.b} == {"RUS", "CHN"})
    far = {(r.a, r.b) for r in rows if r is not me and distance(me, r) > 0.4}
    assert far  # the store holds pairs of another shape …
    assert not far & {(s.a, s.b) for s in report.reading.comparable.similar}  # … and none is called similar
