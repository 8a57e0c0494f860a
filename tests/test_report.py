"""`detente report A B`: the relationship from a store built by hand (concrete values), from real ingests of
development texts (structure), its faults, and the HTML page in headless Chromium."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.analysis import cite, facts
from detente.analysis.cite import Text, _boundary
from detente.analysis.config import config
from detente.analysis.figures import disagree
from detente.analysis.pair import UnknownSide, resolve_pair
from detente.analysis.relationship import build_report
from detente.analysis.window import DateWindow, bounds
from detente.cli import main
from detente.report.html import render_html
from detente.report.model import FigureValue, Window, to_json
from detente.report.text import render_text
from detente.schema import (
    Entity,
    Event,
    EventDate,
    EventObject,
    Evidence,
    Mention,
    Quantity,
    Quote,
    Role,
    Span,
    Trigger,
)
from detente.store import connect
from detente.store.ingest import text_hash, write_result
from detente.store.merge import merge

from .conftest import DEV, store_document

CHROMIUM = "/usr/bin/chromium"
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
KEYS = {"pair", "window", "documents", "timeline", "undated", "not_happened", "planned", "balance", "figures",
        "quotes", "delegations", "actors", "reasons"}  # fmt: skip


class Doc:
    """A document's contract records written by hand: names and phrases are found in the text."""

    def __init__(self, text: str, published: str, title: str, source: str | None = None):
        self.text, self.published, self.title = text, published, title
        self.source = source or f"https://example.org/{text_hash(text)[:8]}"
        self.entities: dict[str, Entity] = {}
        self.events: list[Event] = []
        self.quantities: list[Quantity] = []
        self.quotes: list[Quote] = []

    def span(self, phrase: str, nth: int = 0) -> tuple[int, int]:
        starts = [m.start() for m in re.finditer(re.escape(phrase), self.text)]
        return starts[nth], starts[nth] + len(phrase)

    def sentence(self, start: int) -> Span:
        s = self.text.rfind(". ", 0, start)
        e = self.text.find(". ", start)
        return Span(0 if s < 0 else s + 2, len(self.text) if e < 0 else e + 1)

    def ent(self, eid: str, name: str, country: str | None, forms: tuple[str, ...] = (),
            role: tuple[str, str, int] | tuple[str, str] | None = None) -> str:  # fmt: skip
        kind = eid.split(":")[0]
        mentions = [Mention(m.start(), m.end()) for form in (name, *forms)
                    for m in re.finditer(rf"\b{re.escape(form)}\b", self.text)]  # fmt: skip
        roles = []
        if role:
            s, e = self.span(role[0], *role[2:])
            roles.append(Role(role[0], None, role[1], s, e))
        self.entities[eid] = Entity(
            eid, kind, name, country, roles=roles, mentions=sorted(mentions, key=lambda m: m.start)
        )
        return eid

    def event(
        self,
        trigger: str,
        type_: str,
        subtype: str,
        actors,
        recipients=(),
        attendees=(),
        date=None,
        negated=False,
        hypothetical=False,
        obj=None,
        mode=None,
        quantities=None,
        asserted_by=None,
    ) -> None:
        s, e = self.span(trigger)
        when = None
        if date:
            ds, de = self.span(date[0])
            when = EventDate(date[1], date[2], False, ds, de)
        sentence = self.sentence(s)
        obj_span = self.span(obj) if obj else None
        self.events.append(Event(
            f"e{len(self.events) + 1}", type_, mode, subtype, list(actors), list(recipients), list(attendees), when,
            None, obj_span and EventObject(obj, *obj_span), Trigger(trigger, s, e), sentence,
            [Evidence(Trigger(trigger, s, e), sentence)], negated=negated, hypothetical=hypothetical,
            asserted_by=asserted_by, confidence=0.8, quantities=quantities,
        ))  # fmt: skip

    def quantity(self, text: str, measure: str, value: float, unit: str, period: str | None, entities=(),
                 asserted_by=None) -> str:  # fmt: skip
        qid = f"q{len(self.quantities) + 1}"
        s, e = self.span(text)
        self.quantities.append(Quantity(qid, measure, value, unit, None, text, s, e, period, "actual",
                                        list(entities), asserted_by=asserted_by))  # fmt: skip
        return qid

    def quote(self, words: str, speaker: str, speaker_text: str) -> None:
        s, e = self.span(words)
        self.quotes.append(Quote(f"u{len(self.quotes) + 1}", speaker, [speaker], speaker_text, words, s, e,
                                 [Span(s, e)], True, "said"))  # fmt: skip

    def store(self, con) -> None:
        store_document(con, self.text, self.entities.values(), self.events, self.quantities, self.quotes,
                       published=self.published, source=self.source, title=self.title)  # fmt: skip


def _delivery() -> Doc:
    d = Doc(
        "Russia delivered the first S-400 batteries to Turkey in July 2019, a deal worth $2.5 billion. "
        "Turkish Defense Minister Hulusi Akar watched the unloading near Ankara. "
        "\u201cRussian engineers will help us, but this system is ours,\u201d Akar said. "
        "Trade between Russia and Turkey reached $26 billion in 2018.",
        "2019-08-02",
        "Ankara takes delivery",
    )
    rus = d.ent("state:RUS", "Russia", "RUS", ("Russian",))
    tur = d.ent("state:TUR", "Turkey", "TUR", ("Turkish",))
    akar = d.ent("person:hulusi-akar", "Hulusi Akar", "TUR", ("Akar",), role=("Defense Minister", "defense"))
    price = d.quantity("$2.5 billion", "arms", 2.5e9, "USD", "2019")
    d.quantity("$26 billion", "trade", 26e9, "USD", "2018", [rus, tur])
    d.event("delivered", "COOPERATE", "arms_transfer", [rus], [tur], date=("July 2019", "2019-07", "month"),
            obj="S-400", quantities=[price])  # fmt: skip
    d.quote("Russian engineers will help us, but this system is ours,", akar, "Akar")
    return d


def _visit() -> Doc:
    d = Doc(
        "Turkish President Recep Tayyip Erdogan visited Moscow on August 27, 2019, and met Russian President "
        "Vladimir Putin. Deputy Energy Minister Alparslan Bayraktar was also in Moscow. "
        "Energy Minister Fatih Donmez and Defense Minister Hulusi Akar accompanied Erdogan. "
        "Putin said Russia could sell Su-57 fighter jets to Turkey. "
        "Trade between Russia and Turkey was $30 billion in 2018, Putin said.",
        "2019-08-28",
        "Erdogan in Moscow",
    )
    rus = d.ent("state:RUS", "Russia", "RUS", ("Russian",))
    tur = d.ent("state:TUR", "Turkey", "TUR", ("Turkish",))
    erdogan = d.ent("person:recep-tayyip-erdogan", "Recep Tayyip Erdogan", "TUR", ("Erdogan",),
                    role=("President", "head_of_state"))  # fmt: skip
    putin = d.ent(
        "person:vladimir-putin", "Vladimir Putin", "RUS", ("Putin",), role=("Russian President", "head_of_state")
    )
    bayraktar = d.ent("person:alparslan-bayraktar", "Alparslan Bayraktar", "TUR",
                      role=("Deputy Energy Minister", "energy"))  # fmt: skip
    donmez = d.ent("person:fatih-donmez", "Fatih Donmez", "TUR", role=("Energy Minister", "energy", 1))
    akar = d.ent("person:hulusi-akar", "Hulusi Akar", "TUR", role=("Defense Minister", "defense"))
    assert bayraktar
    d.event("visited", "CONSULT", "visit", [erdogan], [rus], [donmez, akar], mode="visit",
            date=("August 27, 2019", "2019-08-27", "day"))  # fmt: skip
    d.event("sell", "COOPERATE", "arms_transfer", [rus], [tur], hypothetical=True, obj="Su-57 fighter jets",
            asserted_by=putin)  # fmt: skip
    d.quantity("$30 billion", "trade", 30e9, "USD", "2018", [rus, tur], asserted_by=putin)
    return d


def _later() -> Doc:
    d = Doc("Russia did not deliver the second S-400 batch to Turkey in December 2019. "
            "Turkish officials have criticised Russia over strikes in Idlib. "
            "The United States imposed sanctions on Turkey in December 2020. "
            "Russia's radars see 600 km into Turkey.", "2021-01-15", "Holding off")  # fmt: skip
    rus = d.ent("state:RUS", "Russia", "RUS")
    tur = d.ent("state:TUR", "Turkey", "TUR", ("Turkish",))
    usa = d.ent("state:USA", "United States", "USA")
    d.quantity("600 km", "distance", 600, "km", None, [rus, tur])
    d.event("deliver", "COOPERATE", "arms_transfer", [rus], [tur], negated=True, obj="S-400",
            date=("December 2019", "2019-12", "month"))  # fmt: skip
    d.event("criticised", "ACCUSE", "criticism", [tur], [rus])
    d.event("imposed sanctions", "SANCTION", "sanction", [usa], [tur], date=("December 2020", "2020-12", "month"))
    return d


def _hostile() -> Doc:
    d = Doc(f"Spokesperson Maria Zakharova said: \u201cTurkey is a partner {HOSTILE}.\u201d", "2019-09-01",
            "</title><script>window.pwned=3</script>", source="javascript:window.pwned=4")  # fmt: skip
    d.ent("state:TUR", "Turkey", "TUR")
    zakharova = d.ent("person:maria-zakharova", "Maria Zakharova", "RUS", role=("Spokesperson", "foreign_affairs"))
    d.quote(f"Turkey is a partner {HOSTILE}.", zakharova, "Maria Zakharova")
    return d


def _store(path: Path, merged: bool = True) -> str:
    con = connect(str(path))
    for d in (_delivery(), _visit(), _later(), _hostile()):
        d.store(con)
    if merged:
        merge(con)
    con.close()
    return str(path)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return _store(tmp_path_factory.mktemp("report") / "pair.duckdb")


def _report(db: str, a: str = "RUS", b: str = "TUR", since=None, until=None) -> dict:
    con = connect(db, read_only=True)
    try:
        return to_json(build_report(con, resolve_pair(a, b), Window(since, until)))
    finally:
        con.close()


@pytest.fixture(scope="module")
def report(db) -> dict:
    return _report(db)


def _texts(db: str) -> dict[str, str]:
    con = connect(db, read_only=True)
    try:
        return dict(con.execute("SELECT id, text FROM documents").fetchall())
    finally:
        con.close()


# ---- JSON: structure and concrete values ----


def test_report_has_the_documented_keys_and_every_source_points_at_its_text(report, db):
    assert KEYS <= set(report) and "reading" in report
    assert report["pair"] == {"a": {"code": "RUS", "name": "Russia"}, "b": {"code": "TUR", "name": "Turkey"}}
    texts = _texts(db)
    cited = set()

    def walk(node):
        if isinstance(node, dict):
            if {"document", "start", "end", "text", "sentence", "sentence_start"} <= set(node):
                cited.add(node["document"])
                text = texts[node["document"]]
                assert text[node["start"] : node["end"]] == node["text"]
                s = node["sentence_start"]
                assert text[s : s + len(node["sentence"])] == node["sentence"]
                return 1
            return sum(walk(v) for v in node.values())
        if isinstance(node, list):
            return sum(walk(v) for v in node)
        return 0

    assert walk(report) > 15
    assert cited == {d["id"] for d in report["documents"]}  # every document listed is cited, and only those


def test_timeline_is_ordered_by_the_events_own_dates_with_directions_and_summaries(report):
    timeline = report["timeline"]
    assert [e["summary"] for e in timeline] == [
        "Russia → Turkey: arms transfer (S-400), 2019-07",
        "Recep Tayyip Erdoğan → Russia: visit, 2019-08-27",
    ]
    arms, visit = timeline
    assert (arms["direction"], arms["from"], arms["to"], arms["precision"]) == ("a_to_b", "RUS", "TUR", "month")
    assert (visit["direction"], visit["type"], visit["mode"]) == ("b_to_a", "CONSULT", "visit")
    assert {r["name"] for r in visit["attendees"]} == {"Fatih Donmez", "Hulusi Akar"}
    assert arms["sources"][0]["text"] == "delivered"
    assert arms["sources"][0]["sentence"].startswith("Russia delivered the first S-400 batteries")


def test_undated_negated_and_hypothetical_events_are_kept_apart(report):
    assert [e["summary"] for e in report["undated"]] == ["Turkey → Russia: criticism (strikes in Idlib)"]
    assert [e["summary"] for e in report["not_happened"]] == [
        "Russia → Turkey: arms transfer (S-400), 2019-12 — did not happen"
    ]
    planned = report["planned"]
    assert [e["summary"] for e in planned] == [
        "Russia → Turkey: arms transfer (Su-57 fighter jets) — planned or possible"
    ]
    assert [r["name"] for r in planned[0]["asserted_by"]] == ["Vladimir Putin"]
    everything = report["timeline"] + report["undated"] + report["not_happened"] + report["planned"]
    assert not any("sanction" in e["summary"] for e in everything)  # United States → Turkey is another pair


def test_balance_counts_flows_and_findings(report):
    bal = report["balance"]
    assert bal["initiative"] == {"a": 1, "b": 2, "share_a": 0.333}
    arms = next(f for f in bal["flows"] if f["category"] == "arms")
    assert (arms["a_to_b"], arms["b_to_a"]) == (1, 0)  # the delivery; not the negated or the possible one
    texts = [f["text"] for f in bal["findings"]]
    assert "Turkey depends on Russia for arms (transfers: 1 from Russia, 0 the other way)" in texts
    assert "Turkey goes to Russia more than the reverse (visits: 1 to 0)" in texts
    assert "Turkey initiates 2 of 3 directed events with Russia" in texts
    assert {"type": "CONSULT", "subtype": "visit", "year": 2019, "direction": "b_to_a", "count": 1} in bal["counts"]
    finding = next(f for f in bal["findings"] if f["category"] == "arms")
    assert finding["side"] == "RUS" and finding["sources"][0]["text"] == "delivered"


def test_figures_grouped_by_measure_and_period_with_disagreement_flagged(report):
    trade = next(f for f in report["figures"] if f["measure"] == "trade")
    assert (trade["period"], trade["unit"], trade["disagreement"]) == ("2018", "USD", True)
    assert [v["value"] for v in trade["values"]] == [26e9, 30e9]
    assert trade["values"][1]["asserted_by"]["name"] == "Vladimir Putin"
    arms = next(f for f in report["figures"] if f["measure"] == "arms")  # linked through the event's quantities
    assert arms["values"][0]["text"] == "$2.5 billion" and arms["disagreement"] is False


def test_quotes_grouped_by_speaker_with_role_and_side(report):
    by_name = {v["speaker"]["name"]: v for v in report["quotes"] if v["speaker"]}
    akar = by_name["Hulusi Akar"]
    assert (akar["side"], akar["title"], akar["sector"]) == ("TUR", "Defense Minister", "defense")
    assert akar["quotes"][0]["text"].startswith("Russian engineers will help us")
    assert by_name["Maria Zakharova"]["quotes"][0]["text"] == f"Turkey is a partner {HOSTILE}."


def test_delegations_list_who_was_present_with_sectors_and_the_make_up(report):
    (visit,) = report["delegations"]
    members = {m["entity"]["name"]: (m["basis"], m["sector"]) for m in visit["members"]}
    assert members == {
        "Recep Tayyip Erdoğan": ("actor", "head_of_state"),
        "Fatih Donmez": ("attendee", "energy"),
        "Hulusi Akar": ("attendee", "defense"),
        "Alparslan Bayraktar": ("nearby", "energy"),
        "Vladimir Putin": ("nearby", "head_of_state"),
    }
    makeup = {m["side"]: m for m in visit["makeup"]}
    assert makeup["TUR"]["summary"] == "3 of 4 from energy and defense"
    assert makeup["TUR"]["sectors"] == {"energy": 2, "defense": 1, "head_of_state": 1}
    assert makeup["RUS"]["summary"] == "1 of 1 from head of state"


def test_actors_rank_the_most_involved_with_roles_and_links(report):
    actors = report["actors"]
    turkish = [a["entity"]["name"] for a in actors["entities"] if a["entity"]["side"] == "TUR"]
    assert turkish[0] in ("Recep Tayyip Erdoğan", "Hulusi Akar")
    akar = next(a for a in actors["entities"] if a["entity"]["name"] == "Hulusi Akar")
    assert (akar["events"], akar["quotes"], akar["documents"]) == (1, 1, 2)
    assert [(r["title"], r["sector"], r["first_seen"]) for r in akar["roles"]] == [
        ("Defense Minister", "defense", "2019-08-02")
    ]
    assert any({lk["a"], lk["b"]} == {"state:RUS", "person:recep-tayyip-erdogan"} for lk in actors["links"])


def test_a_size_or_distance_is_no_figure_of_the_pair(report, db):
    assert any("600 km" in t for t in _texts(db).values())
    assert not [f for f in report["figures"] if f["unit"] == "km"]


def test_since_and_until_limit_events_figures_and_quotes(db):
    report = _report(db, since="2019-08", until="2019")
    assert [e["summary"] for e in report["timeline"]] == ["Recep Tayyip Erdoğan → Russia: visit, 2019-08-27"]
    assert report["figures"] == [] and report["window"] == {"since": "2019-08", "until": "2019"}
    assert [e["date"] for e in report["not_happened"]] == ["2019-12"]


def test_a_quote_is_dated_by_its_document_and_an_undated_one_is_left_out_of_a_window(tmp_path):
    path = _store(tmp_path / "q.duckdb", merged=False)
    d = Doc("Diplomat Ivan Sorokin said: \u201cTurkey will buy more from Russia.\u201d", None, "Undated")
    d.ent("state:TUR", "Turkey", "TUR")
    d.ent("state:RUS", "Russia", "RUS")
    d.quote("Turkey will buy more from Russia.", d.ent("person:ivan-sorokin", "Ivan Sorokin", "RUS"), "Ivan Sorokin")
    con = connect(path)
    d.store(con)
    merge(con)
    con.close()

    def speakers(**window) -> list[str]:
        return sorted(v["speaker_text"] for v in _report(path, **window)["quotes"])

    assert speakers() == ["Akar", "Ivan Sorokin", "Maria Zakharova"]
    assert speakers(since="2019") == ["Akar", "Maria Zakharova"]
    assert speakers(until="2019-08-15") == ["Akar"]


def test_sides_may_be_given_as_names_codes_and_the_eu():
    assert resolve_pair("the United States", "RUS").a.code == "USA"
    assert resolve_pair("India", "eu").b.code == "EUR"
    with pytest.raises(UnknownSide, match="Narnia"):
        resolve_pair("Narnia", "RUS")


def test_an_unmerged_store_still_reports_with_a_note(tmp_path):
    report = _report(_store(tmp_path / "raw.duckdb", merged=False))
    assert "store" in report["reasons"]
    assert len(report["timeline"]) == 2


def test_a_pair_with_no_facts_gives_an_empty_valid_report(db):
    report = _report(db, "Brazil", "Japan")
    assert KEYS <= set(report) and report["timeline"] == [] and report["documents"] == []
    assert "no stored fact involves both Brazil and Japan" in report["reasons"]["report"]


@given(st.text(alphabet="ab. \n?!\u201d", min_size=1, max_size=60), st.data())
def test_a_citation_always_holds_its_span(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    src = Text("d", text).source(start, end)
    i = src.start - src.sentence_start
    assert src.sentence[i : i + len(src.text)] == text[start:end] == src.text


def _sentences_by_whole_scan(text: str, start: int, end: int, around: int) -> tuple[int, int]:
    """The sentences around a span found from every sentence end of the whole text."""
    starts = [0, *(e for e in (m.end() for m in _boundary().finditer(text)) if e < len(text))]

    def index(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    first = max(0, index(start) - around)
    last = min(len(starts) - 1, index(max(start, end - 1)) + around)
    stop = starts[last + 1] if last + 1 < len(starts) else len(text)
    while stop > max(starts[first], end) and text[stop - 1].isspace():
        stop -= 1
    return starts[first], stop


@given(st.lists(st.sampled_from(["a", "b", "U", ".", " ", "\n", "?", "\u201d", "U.S. ", "Mr. ", "J. "]),
                min_size=1, max_size=80).map("".join), st.data())  # fmt: skip
def test_sentences_read_near_a_span_are_those_of_the_whole_text(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    around = data.draw(st.integers(0, 2))
    look_back, cite.LOOK_BACK = cite.LOOK_BACK, data.draw(st.integers(1, 12))  # start the search mid-text
    try:
        assert Text("d", text).sentences(start, end, around) == _sentences_by_whole_scan(text, start, end, around)
    finally:
        cite.LOOK_BACK = look_back


def test_sentences_of_long_texts_are_those_of_the_whole_text():
    for path in sorted(DEV.glob("*.txt"))[:6]:
        text = path.read_text(encoding="utf-8")
        for start in range(0, len(text) - 20, 97):
            for around in (0, 1):
                got = Text("d", text).sentences(start, start + 20, around)
                assert got == _sentences_by_whole_scan(text, start, start + 20, around)


@given(st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from([0.0, 1.0, 1.04, 1.2, -1.0, 30.0]),
                          st.sampled_from([None, "about"])), max_size=8))  # fmt: skip
def test_figures_disagree_when_two_documents_give_values_too_far_apart(given):
    cfg = config()
    values = [(doc, FigureValue("i", v, q, "actual", "t", None, None, [])) for doc, v, q in given]

    def apart(a: FigureValue, b: FigureValue) -> bool:
        tolerance = cfg.figure_tolerance_qualified if a.qualifier or b.qualifier else cfg.figure_tolerance
        scale = max(abs(a.value), abs(b.value))
        return bool(scale) and abs(a.value - b.value) / scale > tolerance

    expected = any(da != db and apart(a, b) for i, (da, a) in enumerate(values) for db, b in values[i + 1 :])
    assert disagree(values) == expected


@given(st.lists(st.sampled_from(["word", " ", ".", "\n", "?", "\u201d", "Dr", "U.S", "Lt.Col", "etc", "x", "2"]),
                max_size=12).map("".join))  # fmt: skip
def test_text_held_apart_by_a_sentence_end_in_sql_is_so_for_the_citations(gap):
    stops = facts._last_words([*config().abbreviations, "Lt.Col"])
    con = duckdb.connect()
    apart = con.execute(f"SELECT {facts._APART} FROM (SELECT $gap AS gap)", {"gap": gap, "stops": stops}).fetchone()[0]
    text = "Before" + gap + "After"  # two spans, each starting with a word
    if apart:  # neither span's sentence reaches the other
        assert Text("d", text).sentences(len(text) - 5, len(text))[0] >= len("Before")
        assert Text("d", text).sentences(0, len("Before"))[1] <= len("Before" + gap)


def test_date_values_and_windows():
    assert bounds("2024-01/2024-06") == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert bounds("2010/..")[1] == dt.date.max and bounds("soon") is None
    window = DateWindow(dt.date(2019, 8, 1), dt.date(2019, 12, 31))
    assert window.admits("2019", None) and not window.admits("2019-07", None)
    assert window.admits(None, dt.date(2019, 9, 1)) and not window.admits(None, dt.date(2020, 1, 1))


# ---- the command: text, JSON, faults ----


def test_command_prints_a_plain_text_summary_and_json(db, capsys):
    assert main(["report", "Russia", "TR", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Russia (RUS) – Turkey (TUR)\n4 documents, 3 events (1 undated), 1 did not happen")
    assert "  Russia → Turkey: arms transfer (S-400), 2019-07  [1 source]" in out
    assert "  trade, 2018 (actual): 26 billion USD; 30 billion USD  ⚠ sources disagree" in out
    assert "TUR: 3 of 4 from energy and defense" in out
    assert main(["report", "RUS", "TUR", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pair"]["b"]["code"] == "TUR"


def test_the_summary_states_no_reading_that_rests_on_one_event(db, capsys):
    assert main(["report", "RUS", "TUR", "--db", db]) == 0
    out = capsys.readouterr().out
    summary = out.split("\nSummary\n", 1)[1].split("\n\n", 1)[0]
    balance = out.split("\nBalance\n", 1)[1].split("\n\n", 1)[0]
    assert "Turkey depends on Russia for arms" in balance and "depends" not in summary


def test_the_plain_text_has_the_reading_with_every_line_cited(db, capsys):
    assert main(["report", "RUS", "TUR", "--db", db]) == 0
    reading = capsys.readouterr().out.split("\nReading\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert reading == [
        "  Turkey–Russia ranks 2 of 2 pairs in the store by asymmetry (0.2): Turkey → Russia: 2 directed facts, 1 the "
        "other way, most in visits, criticism; 0 joint  [2 sources]",
        "  hedged: Russia → Turkey: arms transfer (Su-57 fighter jets) — planned or possible  [1 source]",
        "  absent: S-400: Russia → Turkey: arms transfer (S-400), 2019-12 — did not happen  [1 source]",
        "  contradiction (figure): trade 2018 (USD): $26 billion vs $30 billion  [2 sources]",
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["Narnia", "RUS"], 2, "unknown state 'Narnia'"),
        (["RUS", "TUR", "--since", "last year"], 2, "'last year' is not a date"),
        (["RUS", "RUS"], 2, "the same side"),
    ],
)
def test_usage_faults_exit_2_with_one_line(db, capsys, args, code, message):
    assert main(["report", *args, "--db", db]) == code
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_missing_and_corrupt_stores_exit_1_with_one_line(tmp_path, capsys):
    assert main(["report", "RUS", "TUR", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no such database" in capsys.readouterr().err
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"this is not a database" * 100)
    assert main(["report", "RUS", "TUR", "--db", str(bad)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and err.count("\n") == 1


def test_development_texts_ingested_for_real_give_a_cited_report(tmp_path, dev_result):
    con = connect(str(tmp_path / "dev.duckdb"))
    for prefix in ("05", "06"):
        doc, result = dev_result(prefix)
        write_result(con, result, doc)
    merge(con)
    typed = build_report(con, resolve_pair("Turkey", "United States"), Window())
    report = to_json(typed)
    texts = dict(con.execute("SELECT id, text FROM documents").fetchall())
    con.close()
    assert KEYS <= set(report) and len([d for d in report["documents"] if d["about_pair"]]) == 2
    assert report["quotes"] and report["actors"]["entities"]
    events = report["timeline"] + report["undated"] + report["not_happened"] + report["planned"]
    for ev in events:
        assert ev["direction"] in ("a_to_b", "b_to_a", "mutual", "joint")
        for s in ev["sources"]:
            assert texts[s["document"]][s["start"] : s["end"]] == s["text"]
    assert render_text(typed).startswith("Turkey (TUR) – United States (USA)\n2 documents")


# ---- HTML in headless Chromium ----


def test_html_is_self_contained_and_escapes_article_text(db):
    con = connect(db, read_only=True)
    page = render_html(build_report(con, resolve_pair("RUS", "TUR"), Window()))
    con.close()
    assert HOSTILE not in page and "window.pwned=3</script>" not in page
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "javascript:" not in page
    assert not re.search(r"<(img|link|iframe|object|embed|audio|video|source)\b|url\(|@import", page)
    assert re.findall(r'href="([^"#][^"]*)"', page) == [
        "https://example.org/" + h for h in re.findall(r'href="https://example.org/([^"]*)"', page)
    ]  # only links to the originals, never a fetched resource
    assert page.count("<script>") == 1 and "Content-Security-Policy" in page


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"{CHROMIUM} not installed (apt-get install -y chromium)")
def test_html_renders_in_chromium_without_errors_requests_or_injected_script(db, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")
    con = connect(db, read_only=True)
    path = tmp_path / "report.html"
    path.write_text(render_html(build_report(con, resolve_pair("RUS", "TUR"), Window())), encoding="utf-8")
    con.close()
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]  # fmt: skip
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            errors, requests = [], []
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            for section in ("timeline", "apart", "balance", "figures", "voices", "delegations", "actors"):
                assert page.locator(f"#{section}").is_visible(), section
            assert page.locator("#timeline svg circle").count() == 2
            assert page.locator("#actors svg circle").count() >= 4
            assert page.evaluate("typeof window.pwned") == "undefined"
            assert HOSTILE in page.locator("#voices").inner_text()
            first = page.locator("#t-timeline tbody tr").first
            first.locator("summary").click()
            assert first.locator("mark").first.inner_text() == "delivered"
            page.locator("#t-timeline th", has_text="Date").click()
            page.locator("#t-timeline th", has_text="Date").click()  # descending
            assert "2019-08-27" in page.locator("#t-timeline tbody tr").first.inner_text()
            page.fill("input[data-table=t-voices]", "zakharova")
            assert page.locator("#t-voices tbody tr:visible").count() == 1
            page.locator("#timeline svg a.dot").first.click()
            assert page.locator("#timeline-0 details").first.get_attribute("open") is not None
            assert errors == [] and requests == [path.as_uri()]
        finally:
            browser.close()


def test_command_writes_markdown_and_csv(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    texts = [str(p) for p in sorted(DEV.glob("2[13]_*.txt"))]
    assert main(["ingest", *texts, "--db", db, "--workers", "1"]) == 0
    md, out = tmp_path / "r.md", tmp_path / "csv"
    assert main(["report", "United States", "China", "--db", db, "--markdown", str(md), "--csv", str(out)]) == 0
    assert capsys.readouterr().out == ""
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# United States – China") and "## Sources" in text and "\n1. “" in text
    assert (out / "timeline.csv").read_text(encoding="utf-8").startswith("list,id,date")
    assert main(["report", "USA", "CHN", "--db", db, "--markdown", str(tmp_path / "no" / "r.md")]) == 1


def test_a_report_is_the_same_whatever_the_hash_seed(dev_store):
    import os
    import subprocess
    import sys

    def run(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        detente = str(Path(sys.executable).parent / "detente")
        cmd = [detente, "report", "EU", "United States", "--db", dev_store, "--json"]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout

    first = run("1")
    assert '"figures"' in first and run("2") == first
