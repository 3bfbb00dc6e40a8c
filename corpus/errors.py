"""The one root of litkg's exceptions, and the error a bad source raises."""

from __future__ import annotations


class LitkgError(Exception):
    """Root of every error litkg raises on purpose."""


class SourceError(LitkgError):
    """A source could not be read or parsed; the message names the source and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:
        # Rebuilt from both fields (e.g. when a worker process reports a bad source).
        return type(self), (self.source, self.reason)
