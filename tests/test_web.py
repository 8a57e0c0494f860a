"""The web app (`detente serve`) through httpx's TestClient: every route, and every error it answers with."""

from __future__ import annotations

import re
import shutil
import sys
import time

import markupsafe
import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install -e '.[web]')")

from fastapi.testclient import TestClient  # noqa: E402

from detente.cli import main  # noqa: E402
from detente.store import connect  # noqa: E402
from detente.web.app import Settings, create_app  # noqa: E402

from .conftest import DEV, held_by_another_process  # noqa: E402

BASE = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": BASE}
HOSTILE = (
    'Lavrov met Wang Yi in Beijing on Monday. <script>alert(1)</script><img src=x onerror="alert(2)"> Russia sold arms.'
)

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason=f"no development corpus at {DEV}")


@pytest.fixture(scope="module")
def client(dev_store):
    with TestClient(create_app(Settings(db=dev_store, lock_wait=0.3)), base_url=BASE) as c:
        yield c


@pytest.fixture()
def writable(dev_store, tmp_path):
    """A client allowed to ingest, on a copy of the development store."""
    db = str(tmp_path / "copy.duckdb")
    shutil.copy(dev_store, db)
    with TestClient(create_app(Settings(db=db, allow_ingest=True, lock_wait=0.3)), base_url=BASE) as c:
        yield c


def _doc_id(client) -> str:
    return re.search(r'href="/documents/([0-9a-f]{64})"', client.get("/").text)[1]


def test_home_counts_pairs_and_latest_documents(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/pairs/USA/CHN"' in page.text and "United States – China" in page.text
    assert re.search(r"<b>18</b> documents", page.text)
    assert "content-security-policy" in page.headers and "script-src 'self'" in page.headers["content-security-policy"]


def test_pairs_are_ranked_as_the_command_ranks_them(client, dev_store, capsys):
    assert main(["pairs", "--db", dev_store, "--json"]) == 0
    import json

    cli = json.loads(capsys.readouterr().out)
    api = client.get("/api/pairs").json()
    assert [(p["a"], p["b"], p["asymmetry"]) for p in api] == [(p["a"], p["b"], p["asymmetry"]) for p in cli]
    assert len(client.get("/api/pairs?top=2").json()) == 2


def test_search_finds_entities_documents_and_events(client):
    page = client.get("/search", params={"q": "blinken"})
    assert 'href="/actors/person:antony-blinken"' in page.text and "/documents/" in page.text
    found = client.get("/api/search", params={"q": "visit"}).json()
    assert found["events"] and all(set(found) == {"entities", "documents", "events"} for _ in [0])
    assert client.get("/search").status_code == 200


def test_pair_page_shows_the_report_with_expandable_sources_and_permalinked_filters(client):
    page = client.get("/pairs/USA/CHN").text
    for section in ("summary", "timeline", "balance", "figures", "voices", "delegations", "actors", "reading"):
        assert f'id="{section}"' in page, section
    assert '<details class="src">' in page and "<mark>" in page
    narrowed = client.get("/pairs/USA/CHN", params={"type": "CONSULT", "direction": "", "source": "state.gov"}).text
    assert 'id="permalink" href="/pairs/USA/CHN?type=CONSULT&amp;source=state.gov"' in narrowed
    assert "<option selected>CONSULT</option>" in narrowed
    rows = re.findall(r'<tr id="timeline-\d+" class="way-\w+">.*?</tr>', narrowed, re.S)
    assert rows and all("<td>CONSULT" in r for r in rows)
    assert client.get("/pairs/United%20States/China").status_code == 200


def test_report_api_applies_the_same_filters(client):
    whole = client.get("/api/report/USA/CHN").json()
    consult = client.get("/api/report/USA/CHN", params={"type": "CONSULT", "min_confidence": 0.5}).json()
    assert whole["timeline"] and len(consult["timeline"]) < len(whole["timeline"])
    assert all(e["type"] == "CONSULT" and e["confidence"] >= 0.5 for e in consult["timeline"] + consult["undated"])
    since = client.get("/api/report/USA/CHN", params={"since": "2024"}).json()
    assert all((e["date"] or "9999") >= "2024" for e in since["timeline"])
    assert since["window"] == {"since": "2024", "until": None}


def test_actor_page_and_api(client):
    page = client.get("/actors/person:antony-blinken").text
    assert "Antony Blinken" in page and 'id="offices"' in page and "Secretary of State" in page
    assert 'href="/actors/person:wang-yi"' in page
    data = client.get("/api/entities/person:antony-blinken").json()
    assert data["entity"]["country"] == "USA" and data["events"] and data["quotes"] and data["co_actors"]
    assert data["offices"][0]["sources"][0]["sentence"]


def test_document_page_marks_every_layer_and_shades_credits(client, dev_store):
    doc = client.get(f"/api/documents/{_doc_id(client)}").json()
    assert doc["text"] and doc["entities"] and doc["events"]
    con = connect(dev_store, read_only=True)
    credited = con.execute("SELECT id FROM documents WHERE sections LIKE '%credit%' ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    page = client.get(f"/documents/{credited}").text
    for layer in ("entity", "event", "quote", "date"):
        assert f"l-{layer}" in page, layer
    assert 'data-section="credit"' in page
    assert '<script type="application/json" id="records">' in page


def test_paste_extracts_at_once_and_shows_markup_as_text(client):
    page = client.post("/paste", data={"text": HOSTILE, "published": "2024-04-10"}, headers=SAME_ORIGIN).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "<img" not in page and "l-entity" in page and "l-event" in page
    assert "--allow-ingest" in page and 'action="/paste/store"' not in page  # read-only: no store button
    upload = client.post("/paste", files={"file": ("a.html", b"<html><body><article><p>" + b"Lavrov met Wang Yi in "
                                                   b"Beijing on Monday to discuss trade and energy. " * 3 +
                                                   b"</p></article></body></html>", "text/html")},
                         data={"text": ""}, headers=SAME_ORIGIN)  # fmt: skip
    assert upload.status_code == 200 and "l-entity" in upload.text


def test_extract_api_gives_the_contract(client):
    out = client.post("/api/extract", json={"text": HOSTILE, "published": "2024-04-10"}).json()
    assert set(out) >= {"document", "entities", "events", "quantities", "quotes", "dates"}
    assert out["document"]["text"].startswith("Lavrov met")
    bad = client.post("/api/extract", json={"text": "x", "published": "tomorrow"})
    assert bad.status_code == 422 and bad.json()["error"].startswith("published:")
    assert client.post("/api/extract", json={"text": "\x00"}).status_code == 400


def test_storing_needs_allow_ingest(client):
    refused = client.post("/paste/store", data={"text": HOSTILE}, headers=SAME_ORIGIN)
    assert refused.status_code == 403 and "--allow-ingest" in refused.text


def test_ingest_from_the_page_stores_and_refreshes_the_cached_pages(writable):
    assert re.search(r"<b>18</b> documents", writable.get("/").text)
    form = writable.post("/paste", data={"text": HOSTILE, "published": "2024-04-10"}, headers=SAME_ORIGIN).text
    assert 'action="/paste/store"' in form
    stored = writable.post("/paste/store", data={"text": HOSTILE, "published": "2024-04-10"}, headers=SAME_ORIGIN)
    assert stored.status_code == 200 and "1 stored" in stored.text
    assert re.search(r"<b>19</b> documents", writable.get("/").text)
    again = writable.post("/paste/store", data={"text": HOSTILE, "published": "2024-04-10"}, headers=SAME_ORIGIN)
    assert "Already in the store" in again.text


def test_report_cache_hits_until_the_store_changes(writable):
    cache = writable.app.state.cache
    writable.get("/pairs/USA/CHN")
    misses = cache.misses
    writable.get("/pairs/USA/CHN")
    assert cache.misses == misses and cache.hits
    writable.post("/paste/store", data={"text": HOSTILE}, headers=SAME_ORIGIN)
    writable.get("/pairs/USA/CHN")
    assert cache.misses > misses
    writable.app.state.store.version_parts.append(lambda: "corrections-2")  # a new part of the version: rebuilt
    before = cache.misses
    writable.get("/pairs/USA/CHN")
    assert cache.misses > before


@pytest.mark.parametrize(("path", "reason"), [
    ("/actors/person:nobody", "no entity 'person:nobody'"), ("/documents/abc", "no document 'abc'"),
    ("/pairs/Atlantis/China", "unknown state 'Atlantis'"), ("/nowhere", "Not Found"),
])  # fmt: skip
def test_unknown_ids_are_404_with_the_reason_as_a_page_or_json(client, path, reason):
    page = client.get(path)
    assert page.status_code == 404 and str(markupsafe.escape(reason)) in page.text and "<h1>404" in page.text
    api = client.get("/api" + path.replace("/actors/", "/entities/").replace("/pairs/", "/report/"))
    assert api.status_code == 404 and api.headers["content-type"] == "application/json"
    assert set(api.json()) == {"error"}


def test_bad_filters_are_400(client):
    assert client.get("/pairs/USA/CHN", params={"since": "2024-13"}).status_code == 400
    assert client.get("/pairs/USA/CHN", params={"type": "PARTY"}).status_code == 400
    assert client.get("/pairs/USA/CHN", params={"min_confidence": "2"}).status_code == 400
    assert client.get("/api/report/USA/CHN", params={"direction": "sideways"}).status_code == 422


def test_bodies_over_the_limit_are_413(dev_store):
    with TestClient(create_app(Settings(db=dev_store, max_body=1000)), base_url=BASE) as small:
        api = small.post("/api/extract", json={"text": "x" * 2000})
        assert api.status_code == 413 and "limit of 1,000 bytes" in api.json()["error"]
        page = small.post("/paste", data={"text": "x" * 2000}, headers=SAME_ORIGIN)
        assert page.status_code == 413 and "<h1>413" in page.text

        def chunks():  # no Content-Length: counted as it arrives
            yield b'{"text": "'
            yield b"x" * 2000
            yield b'"}'

        streamed = small.post("/api/extract", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413


def test_cross_site_posts_are_refused(client):
    for headers in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page"}, {},
                    {"Origin": BASE, "Sec-Fetch-Site": "cross-site"}):  # fmt: skip
        refused = client.post("/paste", data={"text": HOSTILE}, headers=headers)
        assert refused.status_code == 403 and "refused" in refused.text or "own pages" in refused.text, headers
    assert client.post("/paste", data={"text": HOSTILE}, headers={"Referer": BASE + "/paste"}).status_code == 200


def test_other_host_names_are_refused(client):
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_a_store_written_by_another_process_is_503_busy_with_retry_after(client, dev_store, tmp_path):
    with held_by_another_process(dev_store):
        client.app.state.entities.clear()
        page = client.get("/actors/person:antony-blinken")
        assert page.status_code == 503 and page.headers["retry-after"] == "5" and "busy" in page.text
        api = client.get("/api/entities/person:antony-blinken")
        assert api.status_code == 503 and "locked by another process" in api.json()["error"]
    assert client.get("/actors/person:antony-blinken").status_code == 200


def test_an_internal_failure_is_a_short_page_without_a_trace(dev_store, monkeypatch):
    from detente.web import reads

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail\nTraceback line")

    monkeypatch.setattr(reads, "overview", broken)
    with TestClient(create_app(Settings(db=dev_store)), base_url=BASE, raise_server_exceptions=False) as c:
        page, api = c.get("/"), c.get("/api/pairs")
    assert page.status_code == 500 and "Traceback" not in page.text and "secret" not in page.text
    assert api.json() == {"error": "internal error (RuntimeError); the server's log has more"}


def test_assets_are_served_from_the_package(client):
    for path, kind in (("/assets/report.css", "text/css"), ("/assets/report.js", "text/javascript"),
                       ("/static/app.css", "text/css"), ("/static/app.js", "text/javascript")):  # fmt: skip
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind), path
    assert client.get("/assets/report.py").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
    docs = client.get("/docs").text
    assert "/api/report/{a}/{b}" in docs and "cdn" not in docs.lower()
    assert client.get("/openapi.json").json()["paths"]


def test_serve_says_in_one_line_what_is_missing(tmp_path, capsys, monkeypatch):
    assert main(["serve", "--db", str(tmp_path / "none.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such database" in err
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main(["serve", "--db", str(tmp_path / "none.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "pip install -e '.[web]'" in err and err.count("\n") == 1


def test_serve_binds_the_loopback_address_by_default():
    from detente.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.allow_ingest, args.allow_edit) == ("127.0.0.1", 8000, False, False)
    assert Settings().allowed_hosts >= {"127.0.0.1", "localhost"} and Settings(host="0.0.0.0").allowed_hosts is None


def test_the_gate_lets_a_writer_wait_for_readers():
    from detente.web.access import _Gate

    gate, order = _Gate(), []
    import threading

    def write():
        with gate.exclusive():
            order.append("write")

    with gate.shared():
        t = threading.Thread(target=write)
        t.start()
        time.sleep(0.1)
        order.append("read done")
    t.join(5)
    assert order == ["read done", "write"]


def test_readers_arriving_at_once_for_a_missing_report_cost_one_build():
    import threading
    import time

    from detente.web.cache import ReportCache

    cache, built = ReportCache(), []

    def build():
        built.append(1)
        time.sleep(0.2)
        return "report"

    answers = []
    readers = [threading.Thread(target=lambda: answers.append(cache.get("pair", 1, build))) for _ in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    assert answers == ["report"] * 8 and len(built) == 1
    assert cache.get("pair", 2, build) == "report" and len(built) == 2  # a new store version builds again
