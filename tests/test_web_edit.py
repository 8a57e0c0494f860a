"""Editing in the web app (`detente serve --allow-edit`): corrections made, undone, exported and imported through
the pages and the API, applied at once by every page, report and CSV, refused without the flag, queued when
two clients write at once, and 503 while another process holds the store."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import threading

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")

from fastapi.testclient import TestClient  # noqa: E402

from detente.cli import main  # noqa: E402
from detente.web.app import Settings, create_app  # noqa: E402

from .conftest import DEV, held_by_another_process  # noqa: E402

BASE = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": BASE}

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason=f"no development corpus at {DEV}")


def _client(db: str, **settings) -> TestClient:
    return TestClient(create_app(Settings(db=db, lock_wait=0.3, **settings)), base_url=BASE)


@pytest.fixture(scope="module")
def readonly(dev_store):
    with _client(dev_store) as c:
        yield c


@pytest.fixture()
def db(dev_store, tmp_path) -> str:
    path = str(tmp_path / "copy.duckdb")
    shutil.copy(dev_store, path)
    return path


@pytest.fixture()
def editor(db):
    with _client(db, allow_edit=True) as c:
        yield c


def _timeline(client) -> list[dict]:
    return client.get("/api/report/USA/CHN").json()["timeline"]


def _csv_ids(text: str) -> set[str]:
    return {row["id"] for row in csv.DictReader(io.StringIO(text))}


def test_without_allow_edit_nothing_is_written_and_no_form_is_shown(readonly):
    ev = _timeline(readonly)[0]
    empty = {"format": "detente-corrections/1", "corrections": []}
    for path, body in (("/api/corrections", {"kind": "reject", "events": [ev["id"]]}),
                       ("/api/corrections/c0123/undo", {}), ("/api/corrections/import", empty)):  # fmt: skip
        refused = readonly.post(path, json=body)
        assert refused.status_code == 403 and refused.json() == {"error": "editing needs the server to run with "
                                                                          "--allow-edit"}, path  # fmt: skip
    page = readonly.post("/corrections/c0123/undo", headers=SAME_ORIGIN)
    assert page.status_code == 403 and "--allow-edit" in page.text and "<h1>403" in page.text
    upload = readonly.post("/corrections/import", files={"file": ("c.json", b"{}")}, headers=SAME_ORIGIN)
    assert upload.status_code == 403
    for path in ("/pairs/USA/CHN", "/actors/person:antony-blinken", "/corrections"):
        text = readonly.get(path).text
        assert 'class="edit"' not in text and '<dialog id="edit"' not in text, path
    assert "--allow-edit" in readonly.get("/corrections").text
    assert readonly.get("/api/corrections").json() == []


def test_reject_from_the_api_leaves_page_report_and_csv_then_undo_brings_it_back(editor, db, tmp_path, capsys):
    victim = _timeline(editor)[0]
    assert victim["id"] in editor.get("/pairs/USA/CHN").text  # built and cached before the correction
    made = editor.post("/api/corrections", json={"kind": "reject", "events": [victim["id"]], "reason": "misread",
                                                 "author": "ana"})  # fmt: skip
    assert made.status_code == 201
    c = made.json()
    assert (c["kind"], c["status"], c["reason"], c["author"]) == ("reject", "applied", "misread", "ana")
    assert victim["id"] not in {e["id"] for e in _timeline(editor)}
    assert victim["id"] not in editor.get("/pairs/USA/CHN").text
    download = editor.get("/pairs/USA/CHN/timeline.csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"] == 'attachment; filename="USA-CHN-timeline.csv"'
    assert victim["id"] not in _csv_ids(download.text)
    assert main(["report", "USA", "CHN", "--db", db, "--csv", str(tmp_path)]) == 0  # the same file as the command's
    capsys.readouterr()
    assert (tmp_path / "timeline.csv").read_bytes() == download.content

    listed = editor.get("/corrections").text
    assert f'id="{c["id"]}"' in listed and "misread" in listed and f'action="/corrections/{c["id"]}/undo"' in listed
    undone = editor.post(f"/corrections/{c['id']}/undo", data={"reason": "it was right"}, headers=SAME_ORIGIN,
                         follow_redirects=False)  # fmt: skip
    assert undone.status_code == 303 and undone.headers["location"] == f"/corrections#{c['id']}"
    assert victim["id"] in {e["id"] for e in _timeline(editor)}
    assert victim["id"] in _csv_ids(editor.get("/pairs/USA/CHN/timeline.csv").text)
    assert editor.get(f"/api/corrections/{c['id']}").json()["status"] == "undone"
    again = editor.post(f"/api/corrections/{c['id']}/undo", json={})
    assert again.status_code == 409 and again.json() == {"error": f"correction {c['id']} is undone already"}
    statuses = {x["status"] for x in editor.get("/api/corrections", params={"status": "undone"}).json()}
    assert statuses == {"undone"}


def test_retype_redate_redirect_show_on_the_pair_page_at_once(editor):
    ev = next(e for e in _timeline(editor) if e["from"] != e["to"] and e["type"] != "ACCUSE")
    doc, start = ev["sources"][0]["document"], ev["sources"][0]["start"]
    for body in ({"type": "ACCUSE"}, {"date": "2019-05", "approximate": True}, {"swap": True}):
        kind = {"type": "retype", "date": "redate", "swap": "redirect"}[next(iter(body))]
        current = next(e for e in _timeline(editor) if (doc, start) in {(s["document"], s["start"]) for s in
                                                                         e["sources"]})  # fmt: skip
        made = editor.post("/api/corrections", json={"kind": kind, "events": [current["id"]], **body})
        assert made.status_code == 201 and made.json()["status"] == "applied", made.text
    report = editor.get("/api/report/USA/CHN").json()
    after = next(e for part in ("timeline", "undated") for e in report[part]
                 if (doc, start) in {(s["document"], s["start"]) for s in e["sources"]})  # fmt: skip
    assert (after["type"], after["date"], after["approximate"]) == ("ACCUSE", "2019-05", True)
    assert (after["from"], after["to"]) == (ev["to"], ev["from"])
    page = editor.get("/corrections").text
    assert "→ ACCUSE" in page and "2019-05 (month, approximate)" in page


def test_merges_and_corrections_named_by_a_documents_event_on_the_actor_and_document_pages(editor):
    page = editor.get("/actors/person:antony-blinken").text
    specs = [json.loads(s.replace("&#39;", "'")) for s in re.findall(r"data-edit='([^']*)'", page)]
    events = [s for s in specs if s["what"] == "event"]
    assert {s["what"] for s in specs} == {"event", "entity"} and re.fullmatch(r"[0-9a-f]{64}:\d+:\d+:\w+",
                                                                               events[0]["ref"])  # fmt: skip
    doc = events[0]["ref"].split(":")[0]
    start = int(events[0]["ref"].split(":")[1])
    assert f'id="at-{start}" class="l-event' in editor.get(f"/documents/{doc}").text
    merged = editor.post("/api/corrections", json={"kind": "merge_events", "events": [events[0]["ref"],
                                                                                      events[1]["ref"]]})  # fmt: skip
    assert merged.status_code == 201 and merged.json()["status"] == "applied"
    rejected = editor.post("/api/corrections", json={"kind": "reject", "events": [events[0]["ref"]]})
    assert rejected.status_code == 201
    assert f'id="at-{start}" class="l-event' not in editor.get(f"/documents/{doc}").text
    assert f'#at-{start}"' not in editor.get("/actors/person:antony-blinken").text.split('id="quotes"')[0]
    records = editor.get(f"/documents/{doc}").text
    assert '"what": "entity"' in records and '"what": "event"' in records

    other = next(s["ref"] for s in specs if s["what"] == "entity" and s["ref"] != "person:antony-blinken")
    joined = editor.post("/api/corrections", json={"kind": "merge_entities", "entities": ["person:antony-blinken",
                                                                                          other]})  # fmt: skip
    assert joined.status_code == 201 and joined.json()["old"][0]["name"] == "Antony Blinken"
    gone = editor.post("/api/corrections", json={"kind": "reject", "entities": ["person:antony-blinken"]})
    assert gone.status_code == 201
    assert editor.get("/actors/person:antony-blinken").status_code == 404


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"kind": "retype", "events": ["event:nope"], "type": "AID"}, 404, "no event event:nope in the store"),
    ({"kind": "reject", "entities": ["person:nobody"]}, 404, "no entity person:nobody in the store"),
    ({"kind": "reject", "events": ["00000000:1:2"]}, 404, "document 00000000: no such document"),
    ({"kind": "merge_events", "events": ["{event}"]}, 400, "merge_events needs two events"),
    ({"kind": "redirect", "events": ["{event}"]}, 400, "redirect needs a swap, or the actors and/or the recipients"),
    ({"kind": "retype", "events": ["{event}"]}, 400, "retype needs a type"),
    ({"kind": "redate", "events": ["{event}"], "date": "2024-13"}, 400, "redate: 2024-13 is not a real date"),
    ({"kind": "undo", "events": ["{event}"]}, 422, "kind: "),
    ({"kind": "retype", "events": ["{event}"], "type": "PARTY"}, 422, "type: "),
])  # fmt: skip
def test_a_correction_that_cannot_be_made_is_one_line_with_its_status(editor, body, status, error):
    body = {**body, "events": [e.replace("{event}", _timeline(editor)[0]["id"]) for e in body.get("events", [])]}
    answer = editor.post("/api/corrections", json=body)
    assert answer.status_code == status and answer.json()["error"].startswith(error), answer.text
    assert editor.get("/api/corrections").json() == []


def test_unknown_corrections_are_404(editor):
    assert editor.get("/api/corrections/c0000").status_code == 404
    answer = editor.post("/api/corrections/c0000/undo", json={})
    assert answer.status_code == 404 and answer.json() == {"error": "no correction c0000 in the store"}
    assert editor.get("/corrections", params={"status": "lost"}).status_code == 400


def test_export_and_import_through_the_api_and_the_page(editor):
    editor.post("/api/corrections", json={"kind": "reject", "events": [_timeline(editor)[0]["id"]]})
    export = editor.get("/api/corrections/export")
    assert export.headers["content-disposition"] == 'attachment; filename="corrections.json"'
    shared = export.json()
    assert shared["format"] == "detente-corrections/1" and len(shared["corrections"]) == 1
    assert editor.post("/api/corrections/import", json=shared).json() == {"added": 0, "already": 1}

    bad = editor.post("/api/corrections/import", json={"format": "detente-corrections/1", "corrections": [
        {"kind": "retype", "target": {"event": []}}]})  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["error"] == 'the posted export: correction 1: retype: not a target of this kind: {"event": []}'
    assert editor.post("/api/corrections/import", json={"format": "other", "corrections": []}).status_code == 422
    page = editor.post("/corrections/import", files={"file": ("mine.json", b"{not json", "application/json")},
                       headers=SAME_ORIGIN)  # fmt: skip
    assert page.status_code == 400 and "mine.json: not JSON" in page.text and "<h1>400" in page.text
    assert editor.post("/corrections/import", headers=SAME_ORIGIN, data={}).status_code == 400
    assert len(editor.get("/api/corrections").json()) == 1


def test_import_from_the_page_adds_what_is_new(editor, db, tmp_path):
    first = editor.post("/api/corrections", json={"kind": "reject", "events": [_timeline(editor)[0]["id"]]}).json()
    data = editor.get("/api/corrections/export").content
    other = str(tmp_path / "other.duckdb")
    shutil.copy(db, other)
    editor.post(f"/api/corrections/{first['id']}/undo", json={})
    with _client(other, allow_edit=True) as c:
        c.post(f"/api/corrections/{first['id']}/undo", json={"reason": "not here"})
        done = c.post("/corrections/import", files={"file": ("c.json", editor.get("/api/corrections/export").content,
                                                             "application/json")},
                      headers=SAME_ORIGIN, follow_redirects=False)  # fmt: skip
        assert done.status_code == 303 and done.headers["location"] == "/corrections?imported=1&already=1"
        assert "1 imported, 1 already in the store" in c.get(done.headers["location"]).text
        assert len(c.get("/api/corrections").json()) == 3
    assert json.loads(data)["corrections"][0]["id"] == first["id"]


def test_two_clients_editing_at_once_lose_nothing(editor):
    event = _timeline(editor)[0]["id"]
    answers: list[int] = []

    def post(n: int) -> None:
        r = editor.post("/api/corrections", json={"kind": "retype", "events": [event], "type": "PROTEST",
                                                  "reason": f"client {n}"})  # fmt: skip
        answers.append(r.status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [201] * 6
    kept = editor.get("/api/corrections").json()
    assert sorted(c["reason"] for c in kept) == [f"client {n}" for n in range(6)]
    assert sorted(c["status"] for c in kept) == ["applied"] + ["superseded"] * 5
    assert next(e for e in _timeline(editor) if e["id"] == event)["type"] == "PROTEST"


def test_an_edit_while_another_process_holds_the_store_is_503_with_retry_after(editor, db):
    event = _timeline(editor)[0]["id"]
    with held_by_another_process(db):
        busy = editor.post("/api/corrections", json={"kind": "reject", "events": [event]})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
        assert busy.json()["error"].startswith("the store is busy: ") and "locked by another process" in busy.text
        page = editor.post("/corrections/c0000/undo", headers=SAME_ORIGIN)
        assert page.status_code == 503 and "<h1>503" in page.text
    assert editor.post("/api/corrections", json={"kind": "reject", "events": [event]}).status_code == 201


def test_edit_forms_are_same_origin_only(editor):
    event = _timeline(editor)[0]["id"]
    form = editor.post("/corrections/c0000/undo", headers={"Origin": "http://evil.example"})
    assert form.status_code == 403 and "another origin" in form.text
    plain = editor.post("/api/corrections", content=json.dumps({"kind": "reject", "events": [event]}),
                        headers={"Content-Type": "text/plain", "Origin": "http://evil.example"})  # fmt: skip
    assert plain.status_code == 403
    assert editor.get("/api/corrections").json() == []


def test_the_pages_offer_editing_with_allow_edit(editor):
    pair = editor.get("/pairs/USA/CHN").text
    assert '<dialog id="edit"' in pair and pair.count('class="edit"') >= len(_timeline(editor))
    assert 'id="csv" href="/pairs/USA/CHN/timeline.csv"' in pair
    narrowed = editor.get("/pairs/USA/CHN", params={"type": "CONSULT"}).text
    assert 'href="/pairs/USA/CHN/timeline.csv?type=CONSULT"' in narrowed
    consult = editor.get("/pairs/USA/CHN/timeline.csv", params={"type": "CONSULT"}).text
    assert {r["type"] for r in csv.DictReader(io.StringIO(consult))} == {"CONSULT"}
    assert "may correct facts" in editor.get("/").text
    assert "No correction yet." in editor.get("/corrections").text
    schema = editor.get("/openapi.json").json()["paths"]
    assert {"/api/corrections", "/api/corrections/{correction_id}/undo", "/api/corrections/export",
            "/api/corrections/import"} <= set(schema)  # fmt: skip
