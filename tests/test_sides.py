"""The side model: its training reads what the extraction sees, `detente train sides` rebuilds a working model,
and the shipped model fills a side the rules leave empty without inventing events."""

from __future__ import annotations

import pytest

from detente.cli import main
from detente.extract.events import sides
from detente.extract.events.sides import ACTOR, NONE, RECIPIENT, SideModel, Thresholds, revise
from detente.train.sides import decisions_of

from .tiny_training import write_tiny_data

NEVER = Thresholds(fill=1.01, create=1.01)


def _names(result, ids):
    by_id = {e.id: e.name for e in result.entities}
    return [by_id.get(i) for i in ids]


def test_decisions_label_each_party_by_the_records_source_and_target():
    record = {
        "id": "r1",
        "text": "Chad shelled villages in Niger, Mali said.",
        "events": [{"type": "ASSAULT", "trigger": "shelled", "source": "Chad", "target": "Niger"}],
    }
    read = [
        {"trigger": (5, 12), "type": "ASSAULT", "direction": "directed",
         "parties": [(0, 4, ["f"], ACTOR), (25, 30, ["f"], NONE), (32, 36, ["f"], RECIPIENT)]},
        {"trigger": (37, 41), "type": "ACCUSE", "direction": "directed", "parties": [(32, 36, ["f"], ACTOR)]},
    ]  # fmt: skip
    shelled, said = decisions_of(record, "tiny.jsonl", read)
    assert shelled.real and [p.label for p in shelled.parties] == [ACTOR, RECIPIENT, NONE]
    assert [p.rule for p in shelled.parties] == [ACTOR, NONE, RECIPIENT]
    assert not said.real and [p.label for p in said.parties] == [NONE]


def test_revise_fills_an_empty_side_and_never_makes_an_event_below_its_threshold():
    chad, niger, mali = object(), object(), object()
    scored = [
        (chad, {ACTOR: 0.9, RECIPIENT: 0.05, NONE: 0.05}),
        (niger, {ACTOR: 0.1, RECIPIENT: 0.7, NONE: 0.2}),
        (mali, {ACTOR: 0.1, RECIPIENT: 0.1, NONE: 0.8}),
    ]
    th = Thresholds(fill=0.5, create=0.95)
    assert revise(scored, [chad], [], False, th) == ([chad], [niger])  # the empty side filled
    assert revise(scored, [chad], [mali], False, th) == ([chad], [mali])  # the rules' parties stay
    assert revise(scored, [], [niger], False, th) == ([chad], [niger])
    assert revise(scored, [chad, niger], [], True, th) == ([chad, niger], [])  # symmetric: no recipients
    assert revise(scored, [], [], False, th) == ([], [])  # no party from the rules, none sure enough
    assert revise(scored, [chad], [mali], False, NEVER) == ([chad], [mali])  # the rules alone


def test_train_sides_command_rebuilds_a_model(tmp_path):
    shelled = ("{a} shelled villages in {b}, officials in Mali said.", "ASSAULT", "shelled", True)
    data = write_tiny_data(tmp_path, [shelled, ("{b} accused {a} of spying.", "ACCUSE", "accused", False)], 2)
    out = tmp_path / "sides.npz"
    assert main(["train", "sides", "--data", str(data), "--out", str(out), "--folds", "2", "--no-search"]) == 0
    model = SideModel(out)
    assert set(model.meta["thresholds"]) == {"fill", "create"}
    assert model.meta["decisions"] >= 16 and model.meta["data"].keys() == {"tiny.jsonl"}
    assert set(model.labels) == {ACTOR, RECIPIENT, NONE}


@pytest.fixture
def rules_alone(monkeypatch):
    monkeypatch.setattr(sides.SideModel, "thresholds", lambda self: NEVER)


# a sentence of a VOA story (corpus/voa_unlabeled.jsonl)
AIRSTRIKES = ("\u201cCoordinated airstrikes by the Somali army and international partners in the Middle Shabelle "
              "region have killed at least 50 al-Shabab militants, including senior leader in charge of the "
              "coordination of the group\u2019s combat vehicles,\u201d the NISA statement said.")  # fmt: skip


def _killings(result):
    return [(_names(result, e.actors), _names(result, e.recipients)) for e in result.events if e.type == "ASSAULT"]


def test_shipped_model_names_whom_the_airstrikes_killed(extract):
    killings = _killings(extract(AIRSTRIKES))
    assert any("Somali army" in actors and recipients == ["al-Shabaab"] for actors, recipients in killings)


def test_without_the_model_the_rules_split_the_killing_between_two_events(extract, rules_alone):
    killings = _killings(extract(AIRSTRIKES))
    assert not any(actors and recipients for actors, recipients in killings)


@pytest.mark.parametrize("what", ["events", "sides", "confidence"])
def test_train_names_an_empty_or_undecodable_data_folder(tmp_path, capsys, what):
    empty, binary = tmp_path / "empty", tmp_path / "binary"
    empty.mkdir()
    binary.mkdir()
    (empty / "none.jsonl").write_text("", encoding="utf-8")
    (binary / "blob.jsonl").write_bytes(bytes(range(128, 256)))
    for data, reason in ((empty, "no record"), (binary / "blob.jsonl", "not UTF-8 text")):
        folder = data if data.is_dir() else data.parent
        assert main(["train", what, "--data", str(folder), "--out", str(tmp_path / "m.npz")]) == 1
        err = capsys.readouterr().err
        assert f"{data}: " in err and reason in err and "Traceback" not in err
