"""The report of one pair on real texts: the United States–China pair corpus of eval/gold_report (development
readouts and VOA stories), built and scored as `detente eval` does."""

from __future__ import annotations

import pytest

from detente.evaluate import pair_report

from .conftest import CORPUS, ROOT

GOLD = ROOT / "eval" / "gold_report" / "us_china.json"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


@pytest.fixture(scope="module")
def gold():
    return pair_report.load(GOLD, CORPUS)


@pytest.fixture(scope="module")
def report(pipeline, gold):
    return pair_report.build(pipeline, gold)


def _rows(report):
    return [*report.timeline, *report.undated, *getattr(report, "low_confidence", []), *report.planned,
            *report.not_happened]  # fmt: skip


def _row_on(report, gold, doc: str, passage: str):
    """The rows citing a passage of one gold document."""
    text = gold.documents[doc].text
    at = text.index(passage)
    h = gold.doc_hash(doc)
    return [e for e in _rows(report) if any(s.document == h and s.start < at + len(passage) and at < s.end
                                            for s in e.sources)]  # fmt: skip


def test_the_gold_names_real_places_of_real_texts(gold):
    assert len(gold.documents) >= 8
    assert {m.doc for e in gold.events for m in e.mentions} <= set(gold.documents)
    assert all(not e.optional for e in gold.events if e.id == "beijing-2023")


def test_a_trip_mentioned_later_as_past_travel_is_one_row_with_both_documents(report, gold):
    met = _row_on(report, gold, "d21", "met")
    travel = _row_on(report, gold, "d23", "travel to Beijing")
    assert len(met) == 1 and met == travel
    assert met[0].date == "2023-06-19" and met[0].documents == 2


def test_a_visit_and_its_talks_in_one_readout_are_one_row_and_distinct_dated_trips_stay_apart(report, gold):
    hosted = _row_on(report, gold, "d23", "hosted")
    talks = _row_on(report, gold, "d23", "Wang discussed")
    assert len(hosted) == 1 and hosted == talks
    assert hosted[0].date == "2023-10-26" and hosted[0].direction == "b_to_a"
    beijing = _row_on(report, gold, "d21", "met")[0]
    munich = _row_on(report, gold, "d22", "Blinken met")[0]
    assert len({id(hosted[0]), id(beijing), id(munich)}) == 3


def test_rows_say_what_they_are_about_in_words_of_their_sentence(report):
    non_meetings = [e for e in _rows(report) if e.type != "CONSULT" and not e.object]
    assert non_meetings and all(e.about for e in non_meetings)
    for e in non_meetings:
        assert e.about.rstrip(" …").split()[0] in e.sources[0].sentence
        assert f"({e.about})" in e.summary


def test_the_eval_block_scores_the_report(report, gold):
    s = pair_report.score(gold, report)
    assert s.events_found.gold == sum(1 for e in gold.events if not e.optional)
    assert s.merges.hits == s.merges.gold
    assert s.false_merges == 0
