import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.cli import main
from detente.documents import Document
from detente.evaluate import gold, match, plover
from detente.evaluate.score import evaluate, score_document
from detente.schema import (
    DocumentMeta,
    DocumentResult,
    Entity,
    Event,
    EventDate,
    Extractor,
    Mention,
    Quantity,
    Quote,
    Role,
    Span,
    Trigger,
)

from .conftest import CORPUS, DEV, ROOT

TEXT = (
    'Polish President Anna Nowak met Chilean Foreign Minister Luis Rojas in Vienna. "We agreed on a lot," Nowak said.'
)

SENTENCE_END = TEXT.index(". ") + 1


def at(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def gold_doc(**changes) -> gold.GoldDoc:
    nowak = gold.GoldEntity(
        "Anna Nowak",
        "person",
        "POL",
        (at("Anna Nowak"), at("Nowak", 1)),
        (gold.GoldRole("President", "head_of_state", False, at("President")),),
    )
    rojas = gold.GoldEntity(
        "Luis Rojas",
        "person",
        "CHL",
        (at("Luis Rojas"),),
        (gold.GoldRole("Foreign Minister", "foreign_affairs", False, at("Foreign Minister")),),
    )
    vienna = gold.GoldEntity("Vienna", "place", "AUT", (at("Vienna"),), ())
    fields = dict(
        file="t.txt",
        published="2024-06-15",
        document=Document(TEXT, "t", published=dt.date(2024, 6, 15)),
        entities=[nowak, rojas, vienna],
        events=[gold.GoldEvent("CONSULT", "meeting", ("POL", "CHL"), (), "2024-06-10", at("met"), ())],
        quantities=[gold.GoldQuantity(5e9, "USD", "trade", None, at("Polish"))],
        quotes=[gold.GoldQuote("Anna Nowak", ("Anna Nowak",), True, at("We agreed on a lot,"))],
    )
    return gold.GoldDoc(**{**fields, **changes})


def result(**changes) -> DocumentResult:
    def role(title: str, sector: str) -> Role:
        return Role(title, None, sector, *at(title))

    entities = [
        Entity(
            "person:anna-nowak",
            "person",
            "Anna Nowak",
            "POL",
            ["Nowak"],
            roles=[role("President", "head_of_state")],
            mentions=[Mention(*at("Anna Nowak")), Mention(*at("Nowak", 1))],
        ),
        Entity(
            "person:rojas",
            "person",
            "Rojas",
            None,
            roles=[role("Foreign Minister", "government")],
            mentions=[Mention(*at("Luis Rojas"))],
        ),
        Entity("place:vienna", "place", "Vienna", "AUT", mentions=[Mention(*at("Vienna"))]),
        Entity("organization:we", "organization", "We", None, mentions=[Mention(*at("We"))]),
    ]
    trigger = Trigger("met", *at("met"))
    event = Event(
        "e1",
        "CONSULT",
        None,
        "meeting",
        ["person:anna-nowak", "person:rojas"],
        [],
        [],
        EventDate("2024-06-10", "day", False, *at("met")),
        None,
        None,
        trigger,
        Span(0, SENTENCE_END),
        [],
    )
    quantity = Quantity("q1", "trade", 5.01e9, "USD", None, "Polish", *at("Polish"), None)
    quote = Quote(
        "u1",
        "person:anna-nowak",
        ["person:anna-nowak"],
        "Nowak",
        "We agreed on a lot,",
        *at("We agreed on a lot,"),
        [Span(*at("We agreed on a lot,"))],
        True,
        "said",
    )
    meta = DocumentMeta("x", None, "t", None, "2024-06-15", "en", len(TEXT), Extractor("0", "m"), [])
    fields = dict(entities=entities, events=[event], quantities=[quantity], quotes=[quote], dates=[])
    return DocumentResult(meta, **{**fields, **changes})


def test_every_layer_on_a_hand_made_result():
    t = score_document(gold_doc(), result())
    counts = {name: (x.tp, x.fp, x.fn) for name, x in t.items()}
    assert counts["entities"] == (3, 1, 0)  # "Rojas" matches by its overlapping mention; "We" is extra
    assert counts["entities/person"] == (2, 0, 0)
    assert counts["person country"] == (1, 0, 1)
    assert counts["roles"] == (1, 1, 1)  # Rojas's sector is wrong
    assert counts["events"] == counts["events/CONSULT"] == (1, 0, 0)
    assert counts["event dyads"] == (0, 1, 1)  # Rojas has no country: the sides are {POL}, not {POL, CHL}
    assert counts["event dates"] == counts["quantities"] == counts["quotes with speaker"] == (1, 0, 0)
    assert "country of 'Luis Rojas': 'CHL' (found None)" in t["person country"].misses[0]
    we = at("We")
    assert t["entities"].false_positives == [f"t: organization 'We' [{we[0]}:{we[1]}] 'We'"]
    report = evaluate([gold_doc()], [result()])
    assert report.overall_f1 == pytest.approx((6 / 7 + 2 / 3 + 1 / 2 + 1 + 0 + 1 + 1 + 1) / 8)
    assert report.to_json()["layers"]["roles"]["f1"] == 0.5


def test_values_units_and_speakers_must_agree():
    far = Quantity("q1", "trade", 5.1e9, "USD", None, "Polish", *at("Polish"), None)
    euros = Quantity("q1", "trade", 5e9, "EUR", None, "Polish", *at("Polish"), None)
    anon = Quote("u1", None, [], None, "We", *at("We"), [Span(*at("We"))], True, "said")
    t = score_document(gold_doc(), result(quantities=[far, euros], quotes=[anon]))
    assert (t["quantities"].tp, t["quantities"].fp, t["quantities"].fn) == (0, 2, 1)
    assert (t["quotes"].tp, t["quotes with speaker"].tp, t["quotes with speaker"].fn) == (1, 0, 1)


def test_events_match_by_sides_in_the_sentence_and_dates_only_on_matches():
    elsewhere = Trigger("Vienna", *at("Vienna"))
    ev = Event(
        "e1",
        "CONSULT",
        None,
        None,
        ["person:anna-nowak", "person:rojas"],
        [],
        [],
        None,
        None,
        None,
        elsewhere,
        Span(0, SENTENCE_END),
        [],
    )
    r = result(events=[ev])
    r.entities[1].country = "CHL"
    t = score_document(gold_doc(), r)
    assert t["events"].tp == t["event dyads"].tp == 1
    assert (t["event dates"].tp, t["event dates"].fn) == (0, 1)
    ev.actors, ev.recipients = ["person:rojas"], ["person:anna-nowak"]  # a symmetric gold event: one set
    assert score_document(gold_doc(), r)["event dyads"].tp == 1
    visit = gold_doc(events=[gold.GoldEvent("CONSULT", "visit", ("POL",), ("CHL",), None, at("met"), ())])
    assert score_document(visit, r)["event dyads"].tp == 0  # a directed gold event keeps its direction
    ev.actors, ev.recipients = ["person:anna-nowak"], ["person:rojas"]
    assert score_document(visit, r)["event dyads"].tp == 1
    ev.type = "AGREE"
    t = score_document(gold_doc(), r)
    assert (t["events"].tp, t["events/AGREE"].fp, t["events/CONSULT"].fn) == (0, 1, 1)


def test_pairing_is_one_to_one_and_maximal():
    scores = {(0, 0): 5, (0, 1): 1, (1, 0): 1}
    assert match.pair(2, 2, lambda i, j: scores.get((i, j), 0)) == {0: 1, 1: 0}
    assert match.pair(1, 2, lambda i, j: scores.get((i, j), 0)) == {0: 0}


@given(st.text(max_size=40))
def test_normalise_gives_plain_words(name):
    out = match.normalise(name)
    assert all(w.isascii() and w.isalnum() and w == w.lower() for w in out.split(" ") if out)
    assert out == " ".join(out.split())


def test_normalise():
    assert match.normalise("The  Kremlin") == "kremlin"
    assert match.normalise("Sergéi Lavrov's") == "sergei lavrov s"


def test_plover_sides_rule():
    rec = plover.PloverRecord("r", "x", None, "CONSULT", ("IGO",), ("FRA",))
    entities = {"a": Entity("a", "organization", "UN", None, type="igo"), "b": Entity("b", "state", "France", "FRA")}

    def event(type_, actors, recipients):
        return Event(
            "e1", type_, None, None, actors, recipients, [], None, None, None, Trigger("x", 0, 1), Span(0, 1), []
        )

    assert plover.sides_right(rec, event("CONSULT", ["b"], ["a"]), entities)  # CONSULT: either direction
    assert plover.sides_right(rec, event("CONSULT", ["a", "b"], []), entities)  # symmetric: both among actors
    assert not plover.sides_right(rec, event("CONSULT", ["a"], []), entities)
    threat = plover.PloverRecord("r", "x", None, "THREATEN", ("IGO",), ("FRA",))
    assert not plover.sides_right(threat, event("THREATEN", ["b"], ["a"]), entities)


def test_plover_igo_office_holder_acts_for_the_organisation():
    annan = Entity(
        "p", "person", "Kofi Annan", None, roles=[Role("Secretary-General", "United Nations", "international", 0, 5)]
    )
    envoy = Entity("q", "person", "Jan Kubis", "SVK", roles=[Role("envoy", "Slovakia", "foreign_affairs", 0, 5)])
    assert plover.has_code(annan, "IGO") and not plover.has_code(annan, "NGO")
    assert not plover.has_code(envoy, "IGO") and plover.has_code(envoy, "SVK")


def test_plover_file_reads_164_records_with_contract_types():
    records = plover.load(CORPUS / "plover_gsr_dev.json")
    assert len(records) == 164
    assert not {r.type for r in records} & {"DEMAND", "DISAPPROVE", "INVESTIGATE", "FIGHT", "DOCUMENT"}
    assert sum(1 for r in records if r.sources and r.targets) == 148
    assert "JAP" not in {c for r in records for c in r.sources + r.targets}


def test_gold_format_errors_and_problems(tmp_path):
    (tmp_path / "x.txt").write_text("# date=2024-01-02\n\nTurkey bought missiles.", encoding="utf-8")
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"file": "x.txt", "entities": [{"name": "Turkey"}]}), encoding="utf-8")
    with pytest.raises(gold.GoldError, match=r"entities\[0\]: missing 'kind'"):
        gold.load(bad, tmp_path)
    raw = {
        "file": "x.txt",
        "published": "2024-01-02",
        "events": [],
        "quantities": [],
        "entities": [{"name": "Turkey", "kind": "state", "country": "TUR", "mentions": [[0, 5]], "roles": []}],
        "quotes": [{"speaker": "Ankara", "direct": True, "start": 7, "end": 22}],
    }
    bad.write_text(json.dumps(raw), encoding="utf-8")
    problems = gold.check(gold.load(bad, tmp_path))
    assert problems == [
        "entities[0] 'Turkey': span 0:5 ('Turke') cuts a word",
        "quotes[0]: speaker 'Ankara' is not the name of an entity of the file",
    ]


def test_shipped_gold_files_follow_the_format():
    files = gold.gold_files(ROOT / "eval" / "gold")
    assert len(files) >= 12
    loaded = gold.load_all(ROOT / "eval" / "gold", DEV)
    assert loaded.skipped == []
    assert all(d.entities for d in loaded.documents)


def test_eval_command_json(capsys, monkeypatch, pipeline):
    monkeypatch.setattr("detente.pipeline.Pipeline", lambda: pipeline)  # the session's model, loaded once
    assert main(["eval", "--only", "24", "--no-plover", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["documents"] == ["24_state_blinken_lavrov_call_2021.txt"]
    assert out["layers"]["entities"]["gold"] >= 10
    assert 0 <= out["overall"]["f1"] <= 1 and out["overall"]["average"] == "macro"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "eval" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_guard_fails_on_a_drop(tmp_path, monkeypatch, capsys):
    guard = _script("guard")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"guard": {"only": list(guard.SUBSET), "overall_f1": 0.6}}), encoding="utf-8")
    monkeypatch.setattr(guard, "BASELINE", baseline)
    monkeypatch.setattr(guard, "subset_f1", lambda: 0.5)
    monkeypatch.setattr(guard, "blind_figures", lambda: None)
    assert guard.main([]) == 1
    assert "0.5000 (baseline 0.6000" in capsys.readouterr().out
    monkeypatch.setattr(guard, "subset_f1", lambda: 0.56)
    assert guard.main([]) == 0


def test_recorded_baseline_covers_the_guard_subset():
    guard = _script("guard")
    recorded = json.loads(Path(guard.BASELINE).read_text(encoding="utf-8"))
    assert tuple(recorded["guard"]["only"]) == guard.SUBSET
    assert 0 <= recorded["full"]["overall_f1"] <= 1


def test_readme_section_is_replaced_between_markers():
    upd = _script("update_readme")
    ev = {
        "documents": ["a"],
        "layers": {"entities": {"gold": 2, "found": 1, "precision": 1.0, "recall": 0.5, "f1": 0.667}},
        "overall": {"f1": 0.667, "layers": ["entities"]},
        "plover": None,
    }
    bench = {
        "mode": "quick",
        "model": "m",
        "event_layer": None,
        "memory_ratio": 1.01,
        "throughput": {
            "documents": 3,
            "words": 50000,
            "bare_spacy_words_per_s": 6000,
            "full_words_per_s": 5000,
            "ratio": 0.833,
        },
        "stream": [
            {"documents": 100, "first_document": 1, "peak_rss_mb": 300.0, "ms_per_doc": 40.0, "time_ratio": 1.0},
            {"documents": 1000, "first_document": 101, "peak_rss_mb": 303.0, "ms_per_doc": 41.0, "time_ratio": 1.025},
        ],
    }
    new = upd.section(ev, bench)
    assert "| entities | 2 | 1 | 1.000 | 0.500 | 0.667 |" in new and "**0.83**" in new
    readme = f"# x\n\nintro\n\n{upd.START}\nstale figures\n{upd.END}\n\n## after\n"
    out = upd.replace_section(readme, new)
    assert "stale figures" not in out and out.startswith("# x\n\nintro\n\n") and out.endswith("\n\n## after\n")
    assert upd.replace_section("# x\n", new) == "# x\n\n" + new + "\n"


def test_a_failing_extraction_is_reported_and_scored_as_empty(pipeline):
    from detente.commands.eval import safe_extract

    class Broken:
        info = pipeline.info

        def extract(self, doc):
            raise ValueError("boom")

    failed = []
    (out,) = safe_extract(Broken(), [Document("Text.", "a.txt")], failed)
    assert out.entities == out.events == [] and failed == [
        "a.txt: extraction failed (ValueError: boom); scored as finding nothing"
    ]


def test_guard_fails_a_blind_figure_that_moves_the_wrong_way():
    guard = _script("guard")
    recorded = {
        "plover": {"type_acc": 0.68, "top_type_acc": 0.59, "sides_acc": 0.38, "types_per_sentence": 1.3},
        "stories": {"event_r": 0.41, "events_per_gold": 1.9, "figure_p": 0.92, "figure_r": 0.64, "person_p": 0.93,
                    "person_r": 0.95},
    }  # fmt: skip
    current = {part: dict(figures) for part, figures in recorded.items()}
    assert not any(line.endswith("FAIL") for line in guard.blind_verdicts(current, recorded))
    current["plover"]["type_acc"] = 0.65  # a drop of 0.03
    current["plover"]["types_per_sentence"] = 1.35  # more guesses
    current["stories"]["event_r"] = 0.42  # better: fine
    failed = [line for line in guard.blind_verdicts(current, recorded) if line.endswith("FAIL")]
    assert len(failed) == 2 and "type_acc" in failed[0] and "types_per_sentence" in failed[1]
