import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from detente.documents import Document, Skipped, parse_date, read_inputs, split_metadata
from detente.sections import detect_sections

from .conftest import DEV


def _read(paths, published=None):
    return list(read_inputs([str(p) for p in paths], published))


def test_header_line_is_metadata_and_offsets_start_after_it():
    path = next(DEV.glob("05_*.txt"))
    (doc,) = _read([path])
    raw = path.read_text(encoding="utf-8")
    assert doc.published == dt.date(2019, 11, 25)
    assert doc.source.startswith("https://www.voanews.com/")
    assert doc.title == "Ankara Defies Washington Over Russian Missiles"
    assert raw.endswith(doc.text) and not doc.text.startswith(("#", "\n"))


def test_front_matter_and_bad_date_warns(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: Talks\ndate: someday\nid: x7\n---\n\nBody text here.\n", encoding="utf-8")
    (doc,) = _read([p], dt.date(2020, 1, 2))
    assert doc.text == "Body text here.\n" and doc.external_id == "x7" and doc.title == "Talks"
    assert doc.published == dt.date(2020, 1, 2)
    assert any("does not parse" in w for w in doc.warnings)


def test_bad_inputs_are_skipped_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"abc\x00def")
    (tmp_path / "bad.jsonl").write_text('{"text": "Fine story."}\nnot json\n{"id": 3}\n', encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 talks in Paris.".encode("latin-1"))
    (tmp_path / "MANIFEST.tsv").write_text("file\tkind\n", encoding="utf-8")
    items = _read([tmp_path, tmp_path / "missing.txt"])
    skipped = {s.source.rsplit("/", 1)[-1]: s.reason for s in items if isinstance(s, Skipped)}
    docs = [d for d in items if isinstance(d, Document)]
    assert skipped["empty.txt"] == "empty file"
    assert "binary" in skipped["bin.txt"]
    assert "not valid JSON" in skipped["bad.jsonl:2"] and "text" in skipped["bad.jsonl:3"]
    assert skipped["missing.txt"] == "no such file or directory"
    assert [d.text for d in docs] == ["Fine story.", "Caf\ufffd talks in Paris."]
    assert any("invalid UTF-8" in w for w in docs[1].warnings)


def test_html_main_text(tmp_path):
    page = tmp_path / "p.html"
    body = " ".join(["Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow."] * 6)
    page.write_text(
        f"<html><head><title>Summit</title></head><body><nav>Home | About</nav>"
        f"<article><h1>Summit</h1><p>{body}</p></article></body></html>",
        encoding="utf-8",
    )
    (doc,) = _read([page])
    assert "Xi Jinping in Moscow" in doc.text and "Home | About" not in doc.text


def test_malformed_html_gets_a_reason(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><div><<<>>></", encoding="utf-8")
    (item,) = _read([page])
    assert isinstance(item, Skipped) and "HTML" in item.reason


@given(st.text(max_size=200))
def test_split_metadata_never_loses_body_text(body):
    meta, text = split_metadata("# title=T | date=2020-01-01\n\n" + body)
    assert meta["title"] == "T"
    assert body.lstrip().startswith(text.lstrip()[:10]) or not body.strip()


@given(st.text(max_size=30))
def test_parse_date_only_accepts_real_dates(value):
    day = parse_date(value)
    assert day is None or isinstance(day, dt.date)


def test_sections_find_credits_bylines_and_labels():
    text = (
        "Leaders Meet in Beijing\n\nBy Jane Smith\n\nMOSCOW — The two presidents met on Monday.\n"
        "putin_xi.jpg\nPhoto: Alexei Nikolsky/AP\n\nSECRETARY BLINKEN:  Good morning.\n"
    )
    kinds = {text[s.start : s.end]: s.kind for s in detect_sections(text)}
    assert kinds["Leaders Meet in Beijing"] == "headline"
    assert kinds["By Jane Smith"] == "byline"
    assert kinds["MOSCOW —"] == "dateline"
    assert kinds["putin_xi.jpg"] == "credit"
    assert kinds["Photo: Alexei Nikolsky/AP"] == "credit"
    assert kinds["SECRETARY BLINKEN"] == "speaker_label"
