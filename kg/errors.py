"""Errors of the knowledge layer, all under the one root `LitkgError`."""

from corpus.errors import LitkgError, SourceError

__all__ = ["LibraryBusy", "LibraryError", "LitkgError", "NotFound", "SourceError"]


class LibraryError(LitkgError):
    """The library folder or its store cannot be used."""


class LibraryBusy(LibraryError):
    """Another litkg process is writing to the library and did not finish in time."""


class NotFound(LitkgError):
    """A concept, work, author or source named by the user is not in the library."""
