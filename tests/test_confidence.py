"""The confidence model: `detente train confidence` rebuilds it from events made by typers that never saw the
records, and the shipped model ranks a sentence's events by how likely each is right."""

from __future__ import annotations

from detente.cli import main
from detente.extract.events.confidence import RIGHT, ConfidenceModel, ranking
from detente.train.confidence import GRID_RATIO, WRONG

from .tiny_training import write_tiny_data


def test_ranking_among_a_sentence_triggers():
    r = ranking([0.9, None, 0.4], 0.4)
    assert (r.triggers, r.rank, round(r.gap, 2)) == (3, 1, 0.5)
    assert ranking([None], None).rank == -1


def test_train_confidence_command_rebuilds_a_model(tmp_path):
    shelled = ("{a} shelled villages in {b}, officials in Mali said.", "ASSAULT", "shelled", True)
    # the talks are an event no record codes: a wrong one
    talks = ("{a} accused {b} of spying after the talks in Geneva.", "ACCUSE", "accused", True)
    data = write_tiny_data(tmp_path, [shelled, talks], 2)
    out = tmp_path / "confidence.npz"
    assert main(["train", "confidence", "--data", str(data), "--out", str(out), "--folds", "2", "--no-search"]) == 0
    model = ConfidenceModel(out)
    assert set(model.labels) == {RIGHT, WRONG} and model.ratio in GRID_RATIO
    assert model.meta["events"] >= 16 and model.meta["data"].keys() == {"tiny.jsonl"}
    assert 0 < model.probability(["type=ASSAULT"]) < 1


def test_a_saved_binary_model_reads_as_the_fitted_one(tmp_path):
    from detente.extract.events.linear import LinearModel
    from detente.train.linear import Example, fit, matrix, save

    rows = [(["a", "b"], RIGHT), (["a"], RIGHT), (["b", "c"], WRONG), (["c"], WRONG), (["a", "c"], RIGHT)] * 3
    examples = [Example(f, label, str(n), "x") for n, (f, label) in enumerate(rows)]
    model, vocab = fit(examples, 1.0, 0)
    save(model, vocab, {}, tmp_path / "m.npz")
    shipped = LinearModel(tmp_path / "m.npz")
    fitted = model.predict_proba(matrix([Example(["a", "c"], "?", "", "")], vocab))[0]
    assert abs(shipped.score(["a", "c"]).of(RIGHT) - fitted[list(model.classes_).index(RIGHT)]) < 1e-5


def test_the_shipped_model_trusts_the_act_reported_more_than_the_act_it_is_about(extract):
    for text, main_type, inner_type in (
        ("Pakistan accused India of shelling villages along the border in Kashmir.", "ACCUSE", "ASSAULT"),
        ("Germany urged Turkey to release the detained journalists before the summit.", "REQUEST", "CONCEDE"),
    ):
        confidence = {e.type: e.confidence for e in extract(text).events}
        assert confidence[main_type] > confidence[inner_type] > 0, (text, confidence)
