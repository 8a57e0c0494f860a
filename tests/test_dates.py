"""Dates: absolute, relative, periods and approximate dates, resolved against the publication date."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.extract.base import Chunk, DocContext
from detente.extract.dates import date_at, extract_dates

# The tests' publication date (conftest's default) is Saturday 2024-06-15.


def _dates(result):
    return {d.text: (d.value, d.precision, d.approximate) for d in result.dates}


@pytest.mark.parametrize(
    "text, expression, value, precision",
    [
        ("The treaty was signed on Aug. 9, 1971 in New Delhi.", "Aug. 9, 1971", "1971-08-09", "day"),
        ("The talks began in October 2018.", "October 2018", "2018-10", "month"),
        ("The crisis of 1962 changed everything. It happened in 1962.", "1962", "1962", "year"),
        ("The pipeline opened on Feb. 13 after delays.", "Feb. 13", "2024-02-13", "day"),
        ("Officials met on 25 February 2021.", "25 February 2021", "2021-02-25", "day"),
        ("The release is dated 10/26/2023.", "10/26/2023", "2023-10-26", "day"),
        ("Ties cooled in the 1980s.", "the 1980s", "1980/1989", "decade"),
        ("Trade fell from 2014 to 2016.", "from 2014 to 2016", "2014/2016", "year"),
        ("Trade grew in the first half of 2024.", "the first half of 2024", "2024-01/2024-06", "month"),
        ("Exports fell between 2010 and 2018.", "between 2010 and 2018", "2010/2018", "year"),
        ("Ties improved over the past decade.", "the past decade", "2014/2024", "year"),
    ],
)
def test_absolute_dates_and_periods(extract, text, expression, value, precision):
    r = extract(text)
    assert _dates(r)[expression][:2] == (value, precision)
    for d in r.dates:
        assert text[d.start : d.end] == d.text


def test_relative_dates_against_publication(extract):
    r = extract(
        "Last week the envoy said that exports rose last month and last year. Earlier this year prices fell, "
        "and next month they will rise. On Monday the ministers met; today and yesterday they talked. "
        "The crisis began three years ago."
    )
    dates = _dates(r)
    assert dates["Last week"][:2] == ("2024-06-03/2024-06-09", "day")
    assert dates["last month"][:2] == ("2024-05", "month")
    assert dates["last year"][:2] == ("2023", "year")
    assert dates["Earlier this year"][:2] == ("2024", "year")
    assert dates["next month"][:2] == ("2024-07", "month")
    assert dates["Monday"][:2] == ("2024-06-10", "day")
    assert dates["today"][:2] == ("2024-06-15", "day")
    assert dates["yesterday"][:2] == ("2024-06-14", "day")
    assert dates["three years ago"][:2] == ("2021", "year")


def test_relative_to_the_previous_date(extract):
    r = extract("The two states signed a treaty in 2014. Two years later they signed another.")
    assert _dates(r)["Two years later"][:2] == ("2016", "year")


def test_month_alone_follows_the_tense(extract):
    assert _dates(extract("The leaders will meet in March.", "2024-06-15"))["March"][0] == "2025-03"
    assert _dates(extract("The leaders met in September.", "2024-06-15"))["September"][0] == "2023-09"
    assert _dates(extract("The leaders met in June.", "2024-06-15"))["June"][0] == "2024-06"
    planned = extract("The aides prepared Chancellor Scholz's planned trip to India in April.", "2024-02-14")
    assert _dates(planned)["April"][0] == "2024-04"


def test_approximate_dates(extract):
    dates = _dates(extract("Around 2019 the deal stalled; talks resumed in late 2019 and ended in early March."))
    assert dates["Around 2019"] == ("2019", "year", True)
    assert dates["late 2019"] == ("2019", "year", True)
    assert dates["early March"] == ("2024-03", "month", True)


def test_no_publication_date_leaves_relative_dates_unresolved(extract):
    r = extract("Last month the minister visited Moscow, as he did in May 2017.", published=None)
    (last_month,) = [d for d in r.dates if d.text == "Last month"]
    assert last_month.value is None and last_month.precision is None
    assert last_month.reasons == {"value": "relative date and no publication date"}
    assert _dates(r)["May 2017"][:2] == ("2017-05", "month")


def test_not_dates(extract):
    r = extract(
        "The 72-year-old leader served for three years at 11:30 p.m. and sent 2000 troops, S-400 missiles and "
        "COVID-19 aid to the G20."
    )
    assert r.dates == []


def test_vote_moved_from_one_date_to_another_is_two_dates(extract):
    texts = [d.text for d in extract("The vote was pushed from September 25 to Friday.", "2024-10-03").dates]
    assert texts == ["September 25", "Friday"]


def test_date_at_finds_the_nearest_resolved_date(pipeline):
    text = "In 2019 trade grew, and in 2021 it fell."
    ctx = DocContext(text, dt.date(2024, 6, 15), pipeline.kb, [], [])
    extract_dates(Chunk(pipeline.nlp(text), 0), ctx)
    assert date_at(ctx, 0, len(text)).value == "2019"
    assert date_at(ctx, 0, len(text), near=text.index("fell")).value == "2021"
    assert date_at(ctx, text.index("fell"), len(text)) is None


@settings(max_examples=25, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_written_dates_resolve_to_their_day(extract, day):
    written = f"{calendar.month_name[day.month]} {day.day}, {day.year}"
    (d,) = extract(f"The accord was signed on {written} in Geneva.").dates
    assert (d.text, d.value, d.precision) == (written, day.isoformat(), "day")


def test_dev_text_dates(dev_result):
    _, r = dev_result("09")
    assert ("Dec. 12", "2019-12-12") in [(d.text, d.value) for d in r.dates]
    assert ("10 years ago", "2009") in [(d.text, d.value) for d in r.dates]
    _, r = dev_result("10")
    assert ("from 2017 to 2021", "2017/2021") in [(d.text, d.value) for d in r.dates]
    doc, r = dev_result("03")
    for d in r.dates:
        assert doc.text[d.start : d.end] == d.text
        if d.value and "/" not in d.value and d.precision != "decade":
            assert {4: "year", 7: "month", 10: "day"}[len(d.value)] == d.precision


def test_a_weekday_after_a_verb_of_hope_lies_ahead(extract):
    r = extract("The minister said Monday he hopes to settle the dispute during talks Tuesday.", "2025-03-10")
    assert {d.text: d.value for d in r.dates}["Tuesday"] == "2025-03-11"


def test_would_takes_the_nearer_weekday(extract):
    res = extract("Peru said on Monday that it would send troops on Friday.", published="2024-06-12")
    assert [(d.text, d.value) for d in res.dates] == [("Monday", "2024-06-10"), ("Friday", "2024-06-14")]
