"""The balance, figures and status lists of a pair built from stored texts: counts the texts state come before
counts of extracted events, a figure flowing to or from a third state is not the pair's, and what may not happen
is no denial."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.analysis.pair import resolve_pair
from detente.analysis.relationship import build_report
from detente.commands.ingest import ingest
from detente.documents import Document
from detente.report.model import Window
from detente.store import connect

TEXTS = [
    "Prime Minister Narendra Modi arrived in Tokyo on Friday for talks with Prime Minister Fumio Kishida. Modi has "
    "travelled to Japan seven times since 2014, while Kishida has visited India twice.",
    "Japan lent $2 billion to Sri Lanka in 2022, Indian officials said. India bought $3 billion of machinery from "
    "Japan last year.",
    "India might not invite Japan to the naval exercise, officials said. India did not sanction Japan last year.",
]


@pytest.fixture(scope="module")
def report(pipeline, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("balance") / "b.duckdb")
    docs = [Document(text=t, source=f"t{i}.txt", published=dt.date(2024, 5, 10)) for i, t in enumerate(TEXTS)]
    con = connect(db)
    try:
        ingest(con, db, docs, 1, {"done": 0, "skipped": 0}, pipeline, log_every=0)
    finally:
        con.close()
    con = connect(db, read_only=True)
    try:
        return build_report(con, resolve_pair("India", "Japan"), Window())
    finally:
        con.close()


def test_stated_counts_of_visits_make_the_finding_with_their_sources(report):
    finding = next(f for f in report.balance.findings if f.category == "visits")
    assert finding.text == "India goes to Japan more than the reverse (7 visits to 2, as the texts count them)"
    assert len(finding.figures) == 2 and finding.sources
    flow = next(f for f in report.balance.flows if f.category == "visits")
    assert (flow.a_to_b, flow.b_to_a) == (7, 2)


def test_a_figure_flowing_to_a_third_state_is_left_out(report):
    values = {v.value for f in report.figures for v in f.values}
    assert 3e9 in values and 2e9 not in values


def test_a_negation_under_a_modal_is_a_possibility_and_a_plain_one_a_denial(report):
    (denied,) = report.not_happened
    assert denied.summary.startswith("India → Japan: sanction") and denied.summary.endswith("— did not happen")
    assert any(e.summary.endswith("— may not happen") for e in report.planned)
