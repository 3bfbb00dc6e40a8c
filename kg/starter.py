"""The starter pack as sources: vocabulary definitions and key works become documents.

They are indexed and graphed like anything a user adds, under the sources
`starter:vocabulary` and `starter:works`, so a fresh library answers at once.
"""

from __future__ import annotations

import hashlib
from importlib import resources

from corpus.models import Document, Reference
from corpus.passages import split_passages
from kg.store import Store
from kg.vocab import Vocabulary

VOCAB_SOURCE = "starter:vocabulary"
WORKS_SOURCE = "starter:works"
DATA_FILES = ("vocabulary.toml", "works.toml")


def starter_digest() -> str:
    """A hash of the bundled data files: a new release of them refreshes the starter sources."""
    blob = hashlib.sha256()
    for name in DATA_FILES:
        blob.update(resources.files("kg").joinpath("data", name).read_bytes())
    return blob.hexdigest()


def starter_is_current(store: Store) -> bool:
    """True when the library holds the starter pack of this release."""
    return store.source_hash(WORKS_SOURCE) == starter_digest() and \
        store.source_hash(VOCAB_SOURCE) is not None


def vocabulary_documents(vocab: Vocabulary) -> list[Document]:
    """One short document per concept: its label and definition."""
    docs = []
    for concept in vocab:
        if not concept.definition:
            continue
        text = f"{concept.label}\n\n{concept.definition}"
        doc = Document(source=VOCAB_SOURCE, format="starter", title=concept.label, text=text,
                       metadata={"concept": concept.id})
        doc.passages = split_passages(text)
        docs.append(doc)
    return docs


def work_documents(works: list[Reference]) -> list[Document]:
    """One document per key work: its formatted reference, carrying the record itself."""
    docs = []
    for ref in works:
        text = ref.raw or ref.title or ""
        doc = Document(source=WORKS_SOURCE, format="starter", title=ref.title or text[:80],
                       text=text, authors=list(ref.authors), year=ref.year, doi=ref.doi,
                       record=ref, metadata={"text_is_record": True})
        doc.passages = split_passages(text)
        docs.append(doc)
    return docs

