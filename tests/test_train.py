"""The event typer: its training data is checked, `detente train events` rebuilds a working model, and the
shipped model reads triggers in their context."""

from __future__ import annotations

import json

import pytest
import spacy

from detente.cli import main
from detente.extract.events.features import open_candidates, trigger_features
from detente.extract.events.lexicon import load_lexicon
from detente.extract.events.typer import NONE, EventTyper, load_typer
from detente.pipeline import MODEL
from detente.train.events import DataError, data_files, read_records, record_examples

from .conftest import ROOT
from .tiny_training import write_tiny_data


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"text": "Chad expelled two envoys.", "events": [{"type": "EXPEL"}]}, "unknown type 'EXPEL'"),
        ({"text": "Chad expelled envoys.", "events": [{"type": "SANCTION", "trigger": "ousted"}]}, "exactly once"),
        ({"text": "Chad met Mali.", "events": [], "colour": "red"}, "unknown keys ['colour']"),
        ({"text": "Chad met Mali.", "events": [{"type": "CONSULT", "actor": "Chad"}]}, "unknown event keys"),
        ({"events": []}, "a `text` string"),
    ],
)
def test_training_records_are_checked_with_their_place(tmp_path, row, reason):
    path = _write(tmp_path / "bad.jsonl", [{"text": "Chad met Mali.", "events": []}, row])
    with pytest.raises(DataError) as err:
        read_records(path)
    assert f"{path}:2" in str(err.value) and reason in str(err.value)


def test_shipped_training_data_reads_cleanly():
    files = data_files(ROOT / "data" / "events")
    assert len(files) >= 7
    records = [r for f in files for r in read_records(f)]
    written = [r for f in files if "written" in f.parts for r in read_records(f)]
    assert len(written) >= 3000
    assert sum(not r["events"] for r in written) >= 300  # sentences reporting no event
    assert {e["type"] for r in records for e in r["events"]} >= {"AID", "COERCE", "RETREAT", "PROTEST", "THREATEN"}


def test_examples_label_the_annotated_trigger_and_leave_governed_acts_unlabelled(nlp):
    record = {
        "id": "x",
        "text": "Tunisia urged Libya to reopen the border, and Egypt paid a state visit to Sudan.",
        "events": [
            {"type": "REQUEST", "trigger": "urged", "source": "Tunisia", "target": "Libya"},
            {"type": "CONSULT", "trigger": "paid a state visit", "source": "Egypt", "target": "Sudan"},
        ],
    }
    examples = record_examples(nlp(record["text"]), record, "written/x.jsonl", load_lexicon())
    labels = {next(f for f in ex.features if f.startswith("l=")): ex.label for ex in examples}
    assert labels["l=urge"] == "REQUEST" and labels["l=pay"] == "CONSULT"
    assert labels.get("l=visit") == "CONSULT"  # the lexicon's noun inside the annotated trigger
    assert "l=reopen" not in labels  # what was urged: neither an event nor "no event"


def test_features_read_the_parse(nlp):
    doc = nlp("Moscow did not sell missiles to Delhi.")
    f = trigger_features(doc[3], doc[:], "COOPERATE")
    assert {"l=sell", "neg", "dobj=missile", "pp:to=E:GPE", "rule=COOPERATE", "aux=did"} <= set(f)
    assert [t.text for t in open_candidates(doc[:])] == ["sell"]


def test_shipped_model_reads_a_homonym_by_its_context(nlp):
    typer = load_typer()
    assert typer.meta["cross_validation"]["examples"] and typer.meta["seed"] == 0
    doc = nlp("Ankara released the detained journalists on Tuesday.")
    assert typer.type_of(doc[1], doc[:], None).label == "CONCEDE"
    doc = nlp("The ministry released its annual budget report on Tuesday.")
    assert typer.type_of(doc[2], doc[:], None).label == NONE


def test_train_command_rebuilds_a_model_from_data(tmp_path, nlp):
    praised = ("{a} praised the election in {b}.", "SUPPORT", "praised", True)
    data = write_tiny_data(tmp_path, [("{a} shelled villages in {b}.", "ASSAULT", "shelled", True), praised], 3)
    out = tmp_path / "typer.npz"
    assert main(["train", "events", "--data", str(data), "--out", str(out), "--folds", "2", "--no-search"]) == 0
    typer = EventTyper(out)
    doc = nlp("Mali shelled villages in Guinea.")
    assert typer.type_of(doc[1], doc[:], None).label == "ASSAULT"
    assert typer.meta["data"] == {"tiny.jsonl": typer.meta["data"]["tiny.jsonl"]}


def test_train_command_names_a_bad_file(tmp_path, capsys):
    _write(tmp_path / "bad.jsonl", [{"text": "x", "events": [{"type": "NOPE"}]}])
    assert main(["train", "events", "--data", str(tmp_path), "--out", str(tmp_path / "m.npz")]) == 1
    err = capsys.readouterr().err
    assert "bad.jsonl:1" in err and "NOPE" in err and "Traceback" not in err


def test_lexicon_refuses_unknown_keys_and_values(tmp_path):
    from detente.extract.events.lexicon import DATA

    base = DATA.read_text(encoding="utf-8")
    for bad, reason in [
        ("  - {lemmas: [parley], type: CONSULT, direction: sideways}\n", "unknown direction 'sideways'"),
        ("  - {lemmas: [parley], type: CONFER}\n", "unknown PLOVER type 'CONFER'"),
        ("  - {lemmas: [parley], type: CONSULT, partical: [with]}\n", "unknown keys ['partical']"),
    ]:
        path = tmp_path / "events.yaml"
        path.write_text(base.replace("verbs:\n", "verbs:\n" + bad, 1), encoding="utf-8")
        with pytest.raises(ValueError, match=reason.replace("[", r"\[").replace("]", r"\]")):
            load_lexicon.__wrapped__(str(path))


def test_no_lexicon_entry_hides_another():
    """Entries of one lemma with the same conditions are one entry whose other types are alternatives for the
    typer to choose from, never a second entry that could not match."""
    lex = load_lexicon()
    for table in (lex.verbs, lex.nouns, lex.adjectives):
        for lemma, entries in table.items():
            keys = [(e.particle, e.objects, e.subjects, e.with_, e.with_not) for e in entries]
            assert len(keys) == len(set(keys)), f"entries of {lemma!r} collide: {keys}"
    strike = lex.verbs["strike"][-1]
    assert {strike.coding.type} | strike.alternatives == {"PROTEST", "ASSAULT"}


def test_extractors_declare_their_order():
    from detente.extract.base import check_order
    from detente.pipeline import DEFAULT_EXTRACTORS

    check_order(DEFAULT_EXTRACTORS)
    events_first = (DEFAULT_EXTRACTORS[-2], *DEFAULT_EXTRACTORS[:-2], DEFAULT_EXTRACTORS[-1])
    with pytest.raises(ValueError, match=r"extract_events requires \['candidates', 'dates', 'quotes'\]"):
        check_order(events_first)
