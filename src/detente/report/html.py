"""The report as one self-contained HTML file: inline CSS, SVG and script; nothing fetched, ever.

All article text reaches the page through Jinja2 autoescaping (charts escape
theirs in `charts.el`), and a Content-Security-Policy lets only the report's
own script run (by its hash): a hostile article cannot inject script. Article
text set among other words (titles, names, sentences) sits in `<bdi>`, so a
right-to-left override or a right-to-left title cannot reorder the citation
beside it; ids, dates and offsets pass through `plain`, which drops bidi
controls, and are shown left to right (`.mono`).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..textsafe import strip_bidi
from . import charts
from .fmt import amount, direction, label
from .model import Report, Source

TEMPLATES = Path(__file__).parent / "templates"
CSP = ("default-src 'none'; script-src '{script}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")  # fmt: skip


def highlight(source: Source) -> tuple[str, str, str]:
    """The source sentence split around its span: (before, span, after), each escaped by the template."""
    i, j = source.start - source.sentence_start, source.end - source.sentence_start
    if 0 <= i <= j <= len(source.sentence):
        return source.sentence[:i], source.sentence[i:j], source.sentence[j:]
    return "", source.text, ""


def safe_url(url: str | None) -> str | None:
    """A link target only for web addresses: never `javascript:` or `data:` from a stored source."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


FILTERS = {"highlight": highlight, "safe_url": safe_url, "amount": amount, "label": label, "plain": strip_bidi}


def no_link(kind: str, ident: str) -> None:
    """The standalone file links to nothing of its own: a front end passes a function giving a page's address."""
    return None


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )  # fmt: skip
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def _assets() -> tuple[Markup, Markup, str]:
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    style = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return Markup(script), Markup(style), CSP.format(script=f"sha256-{digest}")


def report_context(report: Report, link=no_link, edit=None) -> dict:
    """What `report_body.html.j2` renders: the report, its events keyed by row anchor, its charts; `link(kind,
    id)` gives the address of an actor's or a document's page, or None; `edit(event)`, when given, what a
    page's edit button of an event carries (a column of such buttons is added)."""
    pair = report.pair
    parts = {"timeline": report.timeline, "undated": report.undated, "not-happened": report.not_happened,
             "planned": report.planned}  # fmt: skip
    events = {key: [(f"{key}-{i}", ev) for i, ev in enumerate(part)] for key, part in parts.items()}
    figures = {
        "timeline": charts.timeline_chart(report.timeline, [anchor for anchor, _ in events["timeline"]], pair),
        "types": charts.type_bars(report.balance.counts, pair),
        "years": charts.year_bars(report.balance.counts, pair),
        "flows": charts.flow_bars(report.balance.flows, pair),
        "network": charts.network_chart(report.actors, pair),
    }
    return dict(
        r=report, a=pair.a, b=pair.b, events=events, charts=figures, reading=report.reading,
        docs={d.id: d for d in report.documents}, ways={w: direction(w, pair.a.name, pair.b.name)
                                                         for w in ("a_to_b", "b_to_a", "mutual", "joint")},
        link=link, edit=edit,
    )  # fmt: skip


def render_html(report: Report) -> str:
    """The whole report page."""
    script, style, csp = _assets()
    return (
        _environment()
        .get_template("report.html.j2")
        .render(**report_context(report), script=script, style=style, csp=csp)
    )
