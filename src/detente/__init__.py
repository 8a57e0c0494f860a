"""détente: a cited, structured picture of relations between states, read from news."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

__version__ = "0.1.0"

# What extraction's output depends on, below the package: its code, lexicons and knowledge.
EXTRACTION_FILES = ("extract", "resolve", "kb", "pipeline.py", "schema.py", "sections.py", "longtext.py")
FINGERPRINTED = (".py", ".yaml", ".yml", ".json", ".txt")


def fingerprint(root: Path, extra_kb: Path | None = None) -> str:
    """8 hex digits of SHA-256 over the names and bytes of the extraction files below `root` and of the YAML
    files of `extra_kb`, the knowledge base's extension directory."""
    files: list[tuple[str, Path]] = []
    for name in EXTRACTION_FILES:
        path = root / name
        for f in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if f.is_file() and f.suffix in FINGERPRINTED and "__pycache__" not in f.parts:
                files.append((str(f.relative_to(root)), f))
    if extra_kb:
        files += [(f"$DETENTE_KB_DIR/{f.name}", f) for f in sorted(extra_kb.glob("*.yaml"))]
    digest = hashlib.sha256()
    for label, f in files:
        digest.update(f"{label}\0".encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()[:8]


@functools.cache
def extractor_version() -> str:
    """The version stored with every extracted document: the package version and a fingerprint of the
    extraction code and data (`0.1.0+1a2b3c4d`), so that a changed extractor re-extracts on the next ingest."""
    extra = os.environ.get("DETENTE_KB_DIR")
    return f"{__version__}+{fingerprint(Path(__file__).parent, Path(extra) if extra else None)}"
