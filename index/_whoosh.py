"""The one gate through which the `index` package loads Whoosh.

Whoosh 2.7.4 has source that Python warns about when it compiles it: invalid
escape sequences (SyntaxWarning from Python 3.12, DeprecationWarning before)
and an ``is`` comparison with a literal (SyntaxWarning). Every Whoosh module
the package uses, including one Whoosh itself imports lazily, is imported here
with exactly those warnings silenced, and the other modules of `index` take
their Whoosh names from this one, whatever order their imports are sorted in.
"""

from __future__ import annotations

import warnings

# Compile-time warnings carry the file path (minus ".py") as their module,
# runtime ones the dotted name: match both spellings of a whoosh module.
_WHOOSH_MODULE = r"(.*[\\/])?whoosh([\\/.].*)?$"
_ESCAPE_MESSAGE = r"invalid escape sequence"

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=SyntaxWarning, module=_WHOOSH_MODULE)
    warnings.filterwarnings(
        "ignore", message=_ESCAPE_MESSAGE, category=DeprecationWarning, module=_WHOOSH_MODULE
    )
    from whoosh import analysis, fields, highlight, qparser, searching
    from whoosh import index as whoosh_index
    from whoosh import query as wq
    from whoosh.codec import whoosh3  # whoosh.index imports it lazily otherwise
    from whoosh.filedb.filestore import FileStorage
    from whoosh.lang.porter import stem as porter_stem
    from whoosh.qparser import syntax

__all__ = [
    "FileStorage",
    "analysis",
    "fields",
    "highlight",
    "porter_stem",
    "qparser",
    "searching",
    "syntax",
    "whoosh3",
    "whoosh_index",
    "wq",
]
