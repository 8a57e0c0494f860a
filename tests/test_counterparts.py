"""The unnamed other side of a one-sided event in an article about one pair of states."""

from __future__ import annotations

from detente.resolve.counterparts import REASON, main_pair

PAIR_ARTICLE = (
    "Chilean President Gabriel Boric arrived in Buenos Aires on Monday for a two-day visit to Argentina. "
    "Boric and Argentine President Javier Milei signed a lithium accord. Chile and Argentina share a long border. "
    "Argentina will invest in new copper mines, officials said. Chile backs the plan. "
    "Argentina has also welcomed Chilean tourists this year."
)


def test_pair_article_gives_one_sided_events_the_other_state(extract):
    res = extract(PAIR_ARTICLE, published="2025-03-10")
    assert main_pair(res.entities) in (("ARG", "CHL"), ("CHL", "ARG"))
    backs = next(e for e in res.events if e.trigger.text == "backs")
    assert backs.actors == ["state:CHL"] and backs.recipients == ["state:ARG"]
    assert backs.reasons["counterpart"] == REASON and backs.confidence < 0.8
    invest = next(e for e in res.events if e.trigger.text == "invest")
    assert invest.actors == ["state:ARG"] and invest.recipients == ["state:CHL"]


def test_no_counterpart_without_a_dominant_pair(extract):
    text = "Chile backs the plan. Peru backs the plan. Bolivia backs the plan. Chile, Peru and Bolivia met."
    res = extract(text)
    assert main_pair(res.entities) is None
    assert not any("counterpart" in (e.reasons or {}) for e in res.events)
    single = extract("Chile backs the plan of Argentina's neighbours.")
    assert not any("counterpart" in (e.reasons or {}) for e in single.events)


def test_no_counterpart_when_the_second_state_is_a_bystander(extract):
    text = (
        "Gunmen attacked a bus in Peshawar on Monday, Pakistani officials said. Pakistan blamed the attack on "
        "militants. Pakistan has deployed troops in the province, and Pakistan's army said it killed five "
        "militants. Pakistan's president condemned the attack. Pakistan's police arrested two men. Pakistan "
        "closed the road. Islamabad said Pakistan would not bow. Pakistan mourned the dead. The group opposes "
        "Chinese investment. China has built a port. China said it was worried."
    )
    res = extract(text)
    assert main_pair(res.entities) is None
    assert not any("counterpart" in (e.reasons or {}) for e in res.events)


def test_a_report_lists_events_whose_other_side_is_inferred_apart(dev_store):
    from detente.analysis.pair import resolve_pair
    from detente.analysis.relationship import build_report
    from detente.analysis.timeline import INFERRED_NOTE
    from detente.report.model import Window
    from detente.store import connect

    con = connect(dev_store, read_only=True)
    try:
        report = build_report(con, resolve_pair("India", "Mauritius"), Window())
    finally:
        con.close()
    apart = [e for e in report.low_confidence if e.summary.endswith(INFERRED_NOTE)]
    assert apart, [e.summary for e in report.low_confidence]
    shown = report.timeline + report.undated
    assert not any(INFERRED_NOTE in e.summary for e in shown)
