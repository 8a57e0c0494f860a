"""Near matches of officials' names, the state of office holders the text leaves implicit, and the state an unknown
organization's name places it in. Texts written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.kb import load_kb
from detente.kb.names import country_in_org_name, one_edit_apart, split_name

from .conftest import entity


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_one_edit_apart_and_split_name(kb):
    assert one_edit_apart("gbago", "gbagbo") and one_edit_apart("chadli", "chedli") and one_edit_apart("x", "x")
    assert not one_edit_apart("mitterand", "mitterrrand") and not one_edit_apart("mumin", "mamun")
    affixes = kb.honorifics | kb.name_suffixes
    assert split_name("omar el bashir", kb.name_particles, affixes) == ("omar", {"bashir", "elbashir"})
    assert split_name("al bashir", kb.name_particles, affixes) == (None, {"bashir", "albashir"})
    assert split_name("gen charles q brown jr", kb.name_particles, affixes) == ("charles", {"brown"})


@pytest.mark.parametrize(
    ("text", "day", "kb_id"),
    [
        ("Francois Mitterand", "1990-01-01", "person:francois-mitterrand"),  # one letter short
        ("Laurent Gbago", "2005-01-01", "person:laurent-gbagbo"),
        ("Juvenal Habyariman", "1990-01-01", "person:juvenal-habyarimana"),
        ("Omar El Bashir", "2010-01-01", "person:omar-al-bashir"),  # another particle
        ("Omar Elbashir", "2010-01-01", "person:omar-al-bashir"),  # the particle glued on
        ("Chedly Klibi", "1985-01-01", "person:chedli-klibi"),
        ("Sergey Lavrow", "2020-01-01", "person:sergei-lavrov"),
        ("Muhammad Buhari", "2020-01-01", "person:muhammadu-buhari"),  # a given name alike, not one edit
        ("Mr. Putin", "2020-01-01", "person:vladimir-putin"),
        ("Bashir", "2010-01-01", "person:omar-al-bashir"),  # the surname of two: the one in office
        ("Bashir", "2025-01-15", "person:mohammed-al-bashir"),
        ("Mohamed Bashir", "2010-01-01", "person:mohammed-al-bashir"),  # the given name decides
    ],
)
def test_misspelt_officials_are_found(kb, text, day, kb_id):
    person = kb.person(text, dt.date.fromisoformat(day))
    assert person is None or person.id != kb_id, "the exact lookup already knows it"
    found = kb.person_like(text, dt.date.fromisoformat(day))
    assert found is not None and found.id == kb_id


@pytest.mark.parametrize(
    "text", ["Edouard Gbagbo", "John Smith", "Gbago", "Putn", "Charles Smith", "Laurent Gbagbovic"]
)
def test_no_near_match_without_a_compatible_given_name_or_a_long_enough_surname(kb, text):
    found = kb.person_like(text, dt.date(2005, 1, 1))
    assert found is None or found.id != "person:laurent-gbagbo"
    assert kb.person_like("John Smith", dt.date(2005, 1, 1)) is None


def test_a_misspelt_official_gets_the_knowledge_base_entry_and_keeps_the_form_read(extract):
    r = extract("President Laurent Gbago flew to Accra on Tuesday. Gbago met the Ghanaian leader there.", "2006-03-01")
    gbagbo = entity(r, "Laurent Gbagbo")
    assert gbagbo.kb_id == "person:laurent-gbagbo" and gbagbo.country == "CIV"
    assert {"Laurent Gbago", "Gbago"} <= set(gbagbo.aliases) and len(gbagbo.mentions) >= 2


def test_a_surname_the_text_gives_in_full_is_not_a_former_official(extract):
    r = extract("The hospital's director, Musa Abubakar, spoke on Monday. Mr. Abubakar said Abubakar had no fear.")
    musa = entity(r, "Musa Abubakar")
    assert musa.kb_id is None and {"Abubakar", "Mr. Abubakar"} <= set(musa.aliases)
    assert not any(e.kb_id == "person:abdulsalami-abubakar" for e in r.entities)


def test_the_name_note_of_the_report_shows_the_misspelt_form(pipeline, tmp_path):
    from detente.analysis.facts import open_store
    from detente.analysis.pair import resolve_pair
    from detente.analysis.relationship import build_report
    from detente.documents import Document
    from detente.report.model import Window, to_json
    from detente.store import connect
    from detente.store.ingest import write_result
    from detente.store.merge import merge

    text = ("Visiting Paris, Rwandan President Juvenal Habyariman asked France for arms on Monday. "
            "France agreed to send military advisers to Rwanda.")  # fmt: skip
    doc = Document(text=text, source="https://example.org/kb-names", published=dt.date(1991, 2, 4))
    path = str(tmp_path / "n.duckdb")
    con = connect(path)
    write_result(con, pipeline.extract(doc), doc)
    merge(con)
    con.close()
    con = open_store(path)
    try:
        notes = to_json(build_report(con, resolve_pair("France", "Rwanda"), Window()))["reading"]["name_notes"]
    finally:
        con.close()
    note = next(n for n in notes if n["text_form"] == "Juvenal Habyariman")
    assert note["canonical"] == "Juvénal Habyarimana" and note["kb_id"] == "person:juvenal-habyarimana"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Prime Minister Kofi Asamoah-Mensah on Friday reopened the border posts of Ghana.", "GHA"),
        ("Loyalists of the late President Idris Moukoko marched through Ndjamena waving Chadian flags.", "TCD"),
        ("Former Interior Minister Paulo Vasquinho was arrested at the airport in Luanda, Angolan police said.", "AGO"),
    ],
)
def test_a_one_sentence_office_holder_takes_the_state_a_reader_counts(extract, text, country):
    holder = next(e for e in extract(text).entities if e.kind == "person")
    assert holder.country == country


def test_no_state_for_an_office_holder_when_two_are_equally_present(extract):
    r = extract("Defence Minister Tomas Ardanov praised the talks between Armenia and Georgia.")
    holder = next(e for e in r.entities if e.kind == "person")
    assert holder.country is None and "country" in holder.reasons


def test_an_unknown_organization_takes_the_state_of_a_place_in_its_name(kb, extract):
    assert country_in_org_name(kb, "Nairobi Institute of Tropical Medicine") == "KEN"
    assert country_in_org_name(kb, "Teachers College of Sarajevo") == "BIH"
    assert country_in_org_name(kb, "American Hospital of Istanbul") == "USA"  # a state word says otherwise
    assert country_in_org_name(kb, "Delta Air Lines") is None  # a small city's name is a common word
    assert country_in_org_name(kb, "Lagos Office of the Bank of Accra") is None  # two states
    r = extract("Doctors at the Kharkiv Regional Cancer Centre treated the wounded.")
    assert entity(r, "Kharkiv Regional Cancer Centre").country == "UKR"
