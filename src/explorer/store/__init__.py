"""The SQLite store: schema, opening, reading, searching, building and exporting.

Uses sqlite-utils and the standard library only; never Qt (a test and an import-linter
contract enforce it).
"""
