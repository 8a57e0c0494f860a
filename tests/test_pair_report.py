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
    told = [e for e in non_meetings if e.about]  # a time phrase alone ("on Friday") says nothing of it
    assert non_meetings and len(told) >= 0.8 * len(non_meetings)
    assert not any(e.about.startswith(("on Friday", "last year", "yesterday")) for e in told)
    for e in told:
        assert e.about.rstrip(" …").split()[0] in e.sources[0].sentence
        assert f"({e.about})" in e.summary


def test_the_eval_block_scores_the_report(report, gold):
    s = pair_report.score(gold, report)
    assert s.events_found.gold == sum(1 for e in gold.events if not e.optional)
    assert s.merges.hits == s.merges.gold
    assert s.false_merges == 0


def test_a_summary_on_top_of_five_to_eight_cited_sentences(report, gold):
    texts = {gold.doc_hash(d): doc.text for d, doc in gold.documents.items()}
    assert 5 <= len(report.summary) <= 8
    for line in report.summary:
        assert line.text.endswith(".") and line.sources
        for s in line.sources:
            assert texts[s.document][s.start : s.end] == s.text
    assert "United States" in report.summary[0].text and "China" in report.summary[0].text


def test_low_confidence_undated_and_planned_items_are_apart_from_the_timeline(report):
    lists = [report.timeline, report.undated, report.low_confidence, report.planned, report.not_happened]
    ids = [e.id for part in lists for e in part]
    assert len(ids) == len(set(ids))
    assert all(e.date for e in report.timeline) and not any(e.date for e in report.undated)
    assert all(e.hypothetical for e in report.planned)
    happened = len(report.timeline) + len(report.undated) + len(report.low_confidence)
    undated = len(report.undated) + sum(1 for e in report.low_confidence if not e.date)
    assert any(n.startswith("Most events are undated") for n in report.notices) == (undated * 2 > happened)


def test_a_news_outlet_the_story_was_told_to_is_no_party(report):
    parties = [r for e in _rows(report) for r in (*e.actors, *e.recipients)]
    assert parties and not any(r.name in ("Voice of America", "VOA") for r in parties)


def test_no_disclosure_lag_without_a_stated_one(report):
    assert all(d.basis == "stated" for d in report.reading.disclosures.events)


def test_the_interviewing_outlet_does_not_visit_anyone(pipeline):
    from detente.documents import Document, read_inputs

    story = next(d for d in read_inputs([str(CORPUS / "voa_unlabeled.jsonl")])
                 if isinstance(d, Document) and d.external_id == "7638284")  # fmt: skip
    one = pair_report.PairGold("one", ("USA", "CHN"), {"q": story}, [], [], [])
    rows = _rows(pair_report.build(pipeline, one))
    assert not any(r.name == "Voice of America" for e in rows for r in (*e.actors, *e.recipients))


def test_markdown_with_numbered_source_notes_and_csv_tables(report, gold, tmp_path):
    import csv
    import re

    from detente.report.takeaway import render_markdown, write_csv

    md = render_markdown(report)
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", md.split("## Sources")[0])}
    notes = re.findall(r"^(\d+)\. “", md.split("## Sources")[1], flags=re.M)
    assert cited and cited == {int(n) for n in notes} == set(range(1, len(notes) + 1))
    assert md.index("## Summary") < md.index("## Timeline") < md.index("## Sources")
    timeline, figures = write_csv(report, tmp_path)
    with open(timeline, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(_rows(report))
    texts = {gold.doc_hash(d): doc.text for d, doc in gold.documents.items()}
    for r in rows:
        assert texts[r["first_document"]][int(r["first_start"]) : int(r["first_end"])] == r["first_text"]
    with open(figures, encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == sum(len(f.values) for f in report.figures)


def test_each_row_counts_its_independent_outlets(report, gold):
    beijing = _row_on(report, gold, "d21", "met")[0]
    assert beijing.documents == 2 and beijing.outlets == 2  # state.gov and a blog's repost
    assert all(1 <= e.outlets <= e.documents for e in _rows(report))


def test_a_figure_about_one_side_in_a_sentence_naming_the_other_is_the_pairs_with_its_direction(report, gold):
    h = gold.doc_hash("u8004380")
    duties = [(f, v) for f in report.figures for v in f.values if v.sources[0].document == h]
    assert sorted(v.value for _, v in duties) == [10.0, 20.0]
    assert all((f.from_, f.to) == ("USA", "CHN") and f.unit == "percent" for f, _ in duties)
    assert not any(f.unit == "count" and f.measure == "troops" for f in report.figures)


def test_a_speaker_on_the_pair_keeps_their_next_quote_of_the_same_story(report, gold):
    h = gold.doc_hash("d01")
    text = gold.documents["d01"].text
    at = text.index("He actually calls President Xi")
    voices = [v for v in report.quotes for q in v.quotes
              if any(s.document == h and s.start <= at < s.end for s in q.sources)]  # fmt: skip
    assert [v.speaker.name for v in voices] == ["Ali Wyne"]


def test_a_planned_meeting_is_one_row_not_also_a_promise(report):
    planned = {(s.document, s.start) for e in report.planned if e.type == "CONSULT" for s in e.sources}
    assert planned
    promises = [e for e in _rows(report) if e.subtype == "agreement_promised"]
    assert not any((s.document, s.start) in planned for e in promises for s in e.sources)


def test_a_visit_where_both_sides_name_a_person_counts_among_the_meetings(report):
    hosted = [e for e in report.timeline if e.subtype == "visit"
              and {r.side for r in e.actors + e.recipients if r.kind == "person"} == {"USA", "CHN"}]  # fmt: skip
    met = next(line for line in report.summary if line.text.startswith("They met"))
    cited = {(s.document, s.start) for s in met.sources}
    assert hosted and any((s.document, s.start) in cited for e in hosted for s in e.sources)

