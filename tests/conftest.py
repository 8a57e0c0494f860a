"""Shared fixtures: the pipeline (loaded once) and the development corpus beside the project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.documents import Document, read_inputs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
DEV = CORPUS / "dev"


@pytest.fixture(scope="session")
def pipeline():
    from detente.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def extract(pipeline):
    """Extract a text written in the test, anchored at a publication date."""

    def run(text: str, published: str | None = "2024-06-15"):
        day = dt.date.fromisoformat(published) if published else None
        return pipeline.extract(Document(text=text, source="test", published=day))

    return run


@pytest.fixture(scope="session")
def dev_result(pipeline):
    """Extract a development text by its file name prefix (e.g. "05")."""
    cache = {}

    def run(prefix: str):
        if prefix not in cache:
            path = next(DEV.glob(f"{prefix}_*.txt"))
            doc = next(d for d in read_inputs([str(path)]) if isinstance(d, Document))
            cache[prefix] = (doc, pipeline.extract(doc))
        return cache[prefix]

    return run


def entity(result, name: str):
    """The entity whose name or alias is `name`."""
    for e in result.entities:
        if e.name == name or name in e.aliases:
            return e
    raise AssertionError(f"no entity {name!r} in {[e.name for e in result.entities]}")
