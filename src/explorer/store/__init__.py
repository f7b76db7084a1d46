"""The SQLite store, persistence only: opening and its checks, schema and migrations, typed
records, read queries, search, the overview, notes and own items, merging and backups.

Uses sqlite-utils and the standard library only; never Qt (a test and an import-linter
contract enforce it). File formats live in explorer.exchange, the curated dataset's tooling
in explorer.dataset.
"""
