"""Quantities: money, percentages, tonnage, gas volumes and counts, with measure, period, status and sides."""

from __future__ import annotations

from unittest.mock import ANY

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import approx

# The tests' publication date (conftest's default) is 2024-06-15.


def _one(result, text):
    found = [q for q in result.quantities if q.text == text]
    assert found, f"no quantity {text!r} in {[q.text for q in result.quantities]}"
    return found[0]


@pytest.mark.parametrize(
    "sentence, figure, value, unit, measure",
    [
        ("Bilateral trade reached US$65.7 billion.", "US$65.7 billion", approx(65.7e9), "USD", ANY),
        ("The consortium raised $12bn for the project.", "$12bn", approx(12e9), "USD", ANY),
        ("The budget set aside 1.2 trillion roubles for defense.", "1.2 trillion roubles", approx(1.2e12), "RUB", ANY),
        ("Brussels pledged €85 million in aid.", "€85 million", approx(85e6), "EUR", ANY),
        ("Tokyo offered ¥3 billion in loans.", "¥3 billion", approx(3e9), "JPY", ANY),
        ("Beijing spent 200 million yuan on the port.", "200 million yuan", approx(200e6), "CNY", ANY),
        ("The agency needs a billion dollars this year.", "a billion dollars", approx(1e9), "USD", ANY),
        ("Exports grew to 12.5 million tonnes of grain.", "12.5 million tonnes", approx(12.5e6), "t", ANY),
        ("The ship carried 1,000 metric tons of fuel.", "1,000 metric tons", 1000, "t", ANY),
        ("The pipeline delivered 38 billion cubic meters of gas.", "38 billion cubic meters", approx(38e9), "m3", ANY),
        (
            "Output rose to 9.5 million barrels per day.",
            "9.5 million barrels per day",
            approx(9.5e6),
            "barrel/day",
            ANY,
        ),
        ("Unemployment fell to 36% in the region.", "36%", 36, "percent", ANY),
        ("Officials cut the levy by 25 percent.", "25 percent", 25, "percent", ANY),
        ("Washington threatened 200% tariffs on spirits.", "200%", 200, "percent", ANY),
        ("The island covers 25 square kilometers.", "25 square kilometers", 25, "km2", ANY),
        ("Revenue hit $1 billion Singapore dollars.", "$1 billion Singapore dollars", approx(1e9), "SGD", ANY),
        ("The two presidents have met 18 times since 2013.", "18 times", 18, "count", "meetings"),
        ("The premier paid five visits to the region.", "five visits", 5, "count", "visits"),
        ("The ministers signed eight pacts on energy.", "eight pacts", 8, "count", "agreements"),
        ("The firms created 31 joint ventures last year.", "31 joint ventures", 31, "count", "ventures"),
        ("The navy sent two warships to the strait.", "two warships", 2, "count", "warships"),
        ("The fund helped a dozen countries.", "a dozen countries", 12, "count", "countries"),
    ],
)
def test_figures_value_unit_and_measure(extract, sentence, figure, value, unit, measure):
    q = _one(extract(sentence), figure)
    assert (q.value, q.unit, q.measure) == (value, unit, measure)
    assert sentence[q.start : q.end] == q.text


def test_qualifiers(extract):
    r = extract(
        "Trade topped more than $5 billion, nearly 40 companies joined, about 3% of exports went north, "
        "up to 45% tariffs loom and at least 10,000 containers were shipped."
    )
    assert _one(r, "$5 billion").qualifier == "more_than"
    assert _one(r, "40 companies").qualifier == "less_than"
    assert _one(r, "3%").qualifier == "about"
    assert _one(r, "45%").qualifier == "up_to"
    assert _one(r, "10,000 containers").qualifier == "at_least"


def test_measure_from_the_words_around(extract):
    r = extract("Trade between Russia and China reached $240 billion, and Ankara signed a $2.5 billion deal.")
    assert _one(r, "$240 billion").measure == "trade"
    assert _one(r, "$2.5 billion").measure == "deal"
    assert _one(extract("Brussels imposed tariffs of 25% on the cars."), "25%").measure == "tariff"
    assert _one(extract("Exports rose 12% last year."), "12%").measure == "growth"


def test_periods_from_the_dates_of_the_clause(extract):
    assert _one(extract("Trade reached $110 billion in 2019."), "$110 billion").period == "2019"
    r = extract("China imported 50 million tonnes of oil in the first half of 2024.")
    assert _one(r, "50 million tonnes").period == "2024-01/2024-06"
    assert _one(extract("Investment grew by $3 billion last year."), "$3 billion").period == "2023"
    assert _one(extract("Moscow has sold $20 billion of arms since 2010."), "$20 billion").period == "2010/.."
    r = extract("Beijing invested $50 billion over the past decade.")
    assert _one(r, "$50 billion").period == "2014/2024"
    q = _one(extract("The deal is worth $4 billion."), "$4 billion")
    assert q.period is None and "period" in q.reasons


def test_period_skips_dates_of_saying_and_bases_of_comparison(extract):
    r = extract("Officials said on Monday that trade rose 9% from the previous year to $80 billion in 2023.")
    assert _one(r, "$80 billion").period == "2023"
    assert _one(r, "9%").period == "2023"


def test_status(extract):
    assert _one(extract("The two sides aim to reach $200 billion in trade."), "$200 billion").status == "target"
    assert _one(extract("Trade is expected to hit $300 billion."), "$300 billion").status == "forecast"
    assert _one(extract("The war cost an estimated $90 billion."), "$90 billion").status == "estimate"
    assert _one(extract("Trade hit $90 billion."), "$90 billion").status == "actual"
    # the verb of which the figure's phrase is the subject says nothing of the figure
    r = extract("Doubling the 10% duty on Chinese goods to 20% is aimed at cutting overdose deaths.")
    assert _one(r, "10%").status == _one(r, "20%").status == "actual"


def test_entities_direction_and_attribution(extract):
    r = extract("China bought 68.1 million tons of coal from Russia.")
    q = _one(r, "68.1 million tons")
    assert (q.measure, q.from_, q.to) == ("coal", "state:RUS", "state:CHN")
    assert set(q.entities) == {"state:CHN", "state:RUS"}
    q = _one(extract("Japan invested $5 billion in India."), "$5 billion")
    assert (q.from_, q.to, q.measure) == ("state:JPN", "state:IND", "investment")
    r = extract("Foreign Minister Sergey Lavrov said trade with China reached $240 billion.")
    q = _one(r, "$240 billion")
    assert q.asserted_by is not None and q.asserted_by.startswith("person:")
    assert _one(extract("Trade with China reached $240 billion."), "$240 billion").asserted_by is None


def test_counted_visits_run_from_visitor_to_host(extract):
    r = extract("Prime Minister Narendra Modi has travelled to Japan seven times since 2014, and Japanese Prime "
                "Minister Fumio Kishida has visited India four times.")  # fmt: skip
    seven, four = _one(r, "seven times"), _one(r, "four times")
    assert (seven.measure, seven.value, seven.to) == ("visits", 7, "state:JPN") and "modi" in seven.from_
    assert (four.measure, four.value, four.to) == ("visits", 4, "state:IND") and "kishida" in four.from_
    twice = _one(extract("Kishida has visited India twice, and prices rose twice as fast."), "twice")
    assert (twice.measure, twice.value, twice.to) == ("visits", 2, "state:IND")
    trips = _one(extract("Modi has made five trips to Japan."), "five trips")
    assert trips.to == "state:JPN" and "modi" in trips.from_


def test_a_conjoined_verb_keeps_its_own_clause(extract):
    q = _one(extract("Duterte criticised Washington in 2016 and accepted $2 billion in funding in 2019."), "$2 billion")
    assert q.period == "2019" and "state:USA" not in q.entities


def test_not_quantities(extract):
    r = extract(
        "In 2019 the 72-year-old leader bought S-400 and Su-35 systems, flew F-35 jets to the G20, "
        "cited Article 24 on page 3, called 555-123-4567, ranked 19th, and the two countries talked for three "
        "years."
    )
    assert r.quantities == []


@settings(max_examples=30, deadline=None)
@given(
    st.decimals(min_value=1, max_value=999, places=1),
    st.sampled_from([("million", 1e6), ("billion", 1e9), ("trillion", 1e12)]),
)
def test_scaled_money(extract, number, scale):
    word, factor = scale
    text = f"The fund holds ${number} {word} in reserves."
    (q,) = extract(text).quantities
    assert q.unit == "USD" and q.text == f"${number} {word}"
    assert q.value == pytest.approx(float(number) * factor)


def test_dev_figures(dev_result):
    doc, r = dev_result("04")
    got = {(q.start, q.end): (q.value, q.unit, q.measure, q.qualifier) for q in r.quantities}
    assert got[(1585, 1588)] == (45.0, "percent", "tariff", "up_to")
    assert got[(5013, 5017)] == (100.0, "percent", "tariff", None)
    assert got[(336, 339)][:2] == (65.0, "percent") and got[(336, 339)][3] == "at_least"
    doc, r = dev_result("02")
    money = {doc.text[q.start : q.end]: (q.value, q.unit, q.measure) for q in r.quantities}
    assert money["$1.1 billion"] == (1.1e9, "USD", "trade")
    assert money["$11 million"] == (11e6, "USD", "investment")
    assert money["10.1%"] == (10.1, "percent", "growth")
    doc, r = dev_result("09")
    for q in r.quantities:
        assert doc.text[q.start : q.end] == q.text
    assert [q.text for q in r.quantities if q.unit == "USD"] == ["$34 billion", "$1 trillion", "$13.6 billion",
                                                                  "$20 billion"]  # fmt: skip


def test_an_encoded_blob_costs_the_figure_not_the_document(extract):
    r = extract("Data: iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB z1+8+AS3xm+9+tons 5+5 tons. Russia sold 12 jets to India.")
    assert "12 jets" in [q.text for q in r.quantities]
