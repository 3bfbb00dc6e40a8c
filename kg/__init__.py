"""litkg's knowledge layer: vocabulary, extraction, store, graph, cards and export.

    from kg import Library
    lib = Library.open("~/my-library")
    lib.add(["paper.html"])
    lib.search("working alliance")
"""

from kg.errors import LibraryBusy, LibraryError, LitkgError, NotFound, SourceError
from kg.library import Library

__all__ = ["Library", "LibraryBusy", "LibraryError", "LitkgError", "NotFound", "SourceError"]
