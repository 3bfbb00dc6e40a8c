"""Sources in: read files (and later URLs), parse each format into Documents.

A leaf package: it imports nothing else of litkg. Parsers are pure functions of
their input bytes; only `corpus.fetch` (when present) talks to the network.
"""

from corpus.errors import LitkgError, SourceError
from corpus.models import Document, Passage, Person, Reference

__all__ = ["Document", "LitkgError", "Passage", "Person", "Reference", "SourceError"]
