"""Errors the store raises. Each carries a message fit to show a user as it is."""


class StoreError(Exception):
    """A problem with a database or its contents, explained in one sentence."""


class StoreNotFound(StoreError):
    pass


class NotAnExplorerStore(StoreError):
    """The file exists but is not an Explorer database (empty, foreign or not SQLite)."""


class DamagedStore(StoreError):
    """The file is an SQLite database but is truncated or corrupted."""


class NewerSchema(StoreError):
    """The database was written by a newer Explorer; it is left untouched."""


class ReadOnlyStore(StoreError):
    pass


class NeedsUpgrade(ReadOnlyStore):
    """An older schema opened read-only: opening it writable once upgrades it."""


class MigrationFailed(StoreError):
    pass


class NotFound(StoreError):
    """An id that names nothing in the store."""


class SearchSyntaxError(StoreError):
    pass


class DatasetError(StoreError):
    """The curated dataset's text source is inconsistent; lists every problem found."""

    def __init__(self, problems: list[str], head: str = "") -> None:
        self.problems = problems
        self.head = head or f"{len(problems)} problem(s) in the curated dataset"
        super().__init__("\n".join([f"{self.head}:", *("  - " + p for p in problems)]))
