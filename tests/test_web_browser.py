"""Four journeys through the web app in Debian's chromium (Playwright, no browser downloaded): open a pair and
read a source sentence; paste an article with a script in it; filter the timeline and share the link; reject
an event, see it gone from the pair page and its CSV, and undo it (on a copy of the store). Each
saves a screenshot under pytest's temporary directory and must log no console error. In CI (`CI` set) a
missing browser fails these tests; elsewhere they are skipped with the reason."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import threading
import time
from contextlib import contextmanager

import pytest

from .conftest import DEV

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
ARTICLE = ("Russian Foreign Minister Sergey Lavrov met Chinese Foreign Minister Wang Yi in Beijing on Monday. "
           "<script>alert(1)</script> Russia sold S-400 missiles to Turkey in 2019, Lavrov said.")  # fmt: skip


def _missing() -> str | None:
    if not DEV.is_dir():
        return f"no development corpus at {DEV}"
    for module, extra in (("fastapi", "web"), ("uvicorn", "web"), ("playwright", "dev")):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[{extra}]')"
    if not shutil.which(CHROMIUM):
        return f"{CHROMIUM} not installed (apt-get install -y chromium)"
    return None


@contextmanager
def _serving(**settings):
    """The app on a free loopback port, in a thread; its address."""
    import uvicorn

    from detente.web.app import Settings, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(port=port, **settings))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(dev_store):
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"the browser journeys cannot run in CI: {why}")
        pytest.skip(why)
    with _serving(db=dev_store) as address:
        yield address


@pytest.fixture()
def editing_server(server, dev_store, tmp_path):
    """A server that may edit, on a copy of the development store."""
    db = str(tmp_path / "copy.duckdb")
    shutil.copy(dev_store, db)
    with _serving(db=db, allow_edit=True) as address:
        yield address


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, tmp_path):
    """A fresh page that records console errors, failed page scripts and dialogs (none may happen)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.errors = []
    p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("dialog", lambda d: (p.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield p
    context.close()


def test_open_a_pair_and_expand_a_source_sentence(server, page, tmp_path):
    page.goto(server + "/")
    page.click("text=United States – China")
    page.wait_for_url("**/pairs/USA/CHN")
    assert page.locator("#summary li").count() >= 1
    row = page.locator("#t-timeline tbody tr").first
    row.locator("summary").first.click()
    quote = row.locator("blockquote").first
    assert quote.is_visible() and quote.locator("mark").inner_text().strip()
    page.screenshot(path=str(tmp_path / "pair.png"), full_page=False)
    assert page.errors == []


def test_paste_an_article_and_see_its_facts_with_the_script_as_text(server, page, tmp_path):
    page.goto(server + "/paste")
    page.fill("textarea[name=text]", ARTICLE)
    page.fill("input[name=published]", "2024-04-08")
    page.click("button:has-text('Extract')")
    page.wait_for_selector("#doctext")
    text = page.locator("#doctext")
    assert "<script>alert(1)</script>" in text.inner_text()
    assert page.locator("#doctext script").count() == 0
    assert page.locator("#doctext .l-entity").count() >= 3 and page.locator("#doctext .l-event").count() >= 1
    page.locator("#doctext .l-event").first.hover()
    assert "actors" in page.locator("#record").inner_text()
    page.screenshot(path=str(tmp_path / "paste.png"), full_page=False)
    assert page.errors == []


def test_filter_the_timeline_and_open_its_permalink_in_a_new_page(server, page, browser, tmp_path):
    page.goto(server + "/pairs/USA/CHN")
    every = page.locator("#t-timeline tbody tr").count()
    page.select_option("select[name=type]", "CONSULT")
    page.click("form#filters button[type=submit]")
    page.wait_for_url("**type=CONSULT**")
    kept = page.locator("#t-timeline tbody tr")
    assert 0 < kept.count() < every
    assert all(t.startswith("CONSULT") for t in kept.locator("td:nth-child(3)").all_inner_texts())
    link = page.locator("#permalink").get_attribute("href")
    page.screenshot(path=str(tmp_path / "filtered.png"), full_page=False)
    other = browser.new_page()
    try:
        other.goto(server + link)
        assert other.locator("select[name=type]").input_value() == "CONSULT"
        assert other.locator("#t-timeline tbody tr").count() == kept.count()
        other.screenshot(path=str(tmp_path / "permalink.png"), full_page=False)
    finally:
        other.close()
    assert page.errors == []


def _csv_ids(page) -> set[str]:
    with page.expect_download() as download:
        page.click("#csv")
    with open(download.value.path(), encoding="utf-8", newline="") as fh:
        return {row["id"] for row in csv.DictReader(fh)}


def test_reject_an_event_see_it_gone_from_the_pair_and_its_csv_then_undo_it(editing_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(editing_server + "/pairs/USA/CHN")
        button = page.locator("#t-timeline button.edit").first
        event = json.loads(button.get_attribute("data-edit"))["ref"]
        assert event in _csv_ids(page)
        button.click()
        page.fill("#edit input[name=reason]", "not in the article")
        page.screenshot(path=str(tmp_path / "edit-dialog.png"), full_page=False)
        with page.expect_navigation():
            page.click("#edit-save")
        assert page.locator(f"#t-timeline button.edit[data-edit*='{event}']").count() == 0
        assert event not in _csv_ids(page)
        page.screenshot(path=str(tmp_path / "rejected.png"), full_page=False)

        page.goto(editing_server + "/corrections")
        row = page.locator("#t-corrections tbody tr").first
        assert "not in the article" in row.inner_text() and "applied" in row.inner_text()
        with page.expect_navigation():
            row.locator("button:has-text('Undo')").click()
        assert "undone" in page.locator("#t-corrections tbody tr").nth(1).inner_text()
        page.screenshot(path=str(tmp_path / "corrections.png"), full_page=True)
        page.goto(editing_server + "/pairs/USA/CHN")
        assert page.locator(f"#t-timeline button.edit[data-edit*='{event}']").count() == 1
        assert event in _csv_ids(page)
    finally:
        context.close()
    assert errors == []
