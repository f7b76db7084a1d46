"""What stops an import."""

from __future__ import annotations

from explorer.store.errors import StoreError


class ImportFailed(StoreError):
    """The file cannot be imported at all; the message says why, fit to show a user."""


class ImportCancelled(ImportFailed):
    pass
