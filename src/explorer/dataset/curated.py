"""The curated dataset's text source (data/curated/*.yaml): loading and validation.

Everything is checked before a database is written, and every problem is reported at once,
so a reviewer fixing the YAML sees the whole list.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from explorer.dataset import extras
from explorer.store import dates
from explorer.store.errors import DatasetError
from explorer.store.schema import CATEGORIES, CLAIM_QUALIFIERS, ENTITY_KINDS

FILES = ("sources", "metrics", "entities", "events", "claims")
#: Files a dataset may leave out (an empty list then): who said what, the curators' notes.
OPTIONAL_FILES = ("statements", "curator_notes")
MAX_QUOTE = 300
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
LANGS = ("ko", "en", "zh", "ja")


@dataclass
class Dataset:
    id: str
    name: str
    sources: list[dict[str, Any]]
    metrics: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    events: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    digest: str
    statements: list[dict[str, Any]] = field(default_factory=list)
    curator_notes: list[dict[str, Any]] = field(default_factory=list)


def load(folder: Path) -> Dataset:
    """Read and validate the YAML files in `folder`; raises DatasetError listing problems."""
    parts: dict[str, list[dict[str, Any]]] = {}
    h = hashlib.sha256()
    problems: list[str] = []
    for name in (*FILES, *OPTIONAL_FILES):
        path = folder / f"{name}.yaml"
        try:
            raw = path.read_bytes()
            data = yaml.safe_load(raw.decode("utf-8"))
        except FileNotFoundError:
            if name not in OPTIONAL_FILES:
                problems.append(f"{path} is missing")
            continue
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path} cannot be read: {exc}")
            continue
        h.update(name.encode() + b"\0" + raw + b"\0")
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            problems.append(f"{path} must hold a list of mappings")
            continue
        parts[name] = data
    identity = _identity(folder, h, problems)
    if problems:
        raise DatasetError(problems)
    ds = Dataset(identity[0], identity[1], **parts, digest=h.hexdigest())
    problems = validate(ds)
    if problems:
        raise DatasetError(problems)
    return ds


def _identity(folder: Path, h: Any, problems: list[str]) -> tuple[str, str]:
    """`dataset.yaml`: the dataset's stable id and its name."""
    path = folder / "dataset.yaml"
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except FileNotFoundError:
        problems.append(f"{path} is missing (it gives the dataset's stable id and name)")
        return "", ""
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{path} cannot be read: {exc}")
        return "", ""
    h.update(b"dataset\0" + raw + b"\0")
    if not isinstance(data, dict) or not _ID.match(str(data.get("id", ""))):
        problems.append(f"{path} needs an 'id' in lowercase letters, digits and dashes")
        return "", ""
    return str(data["id"]), str(data.get("name") or data["id"])


def _text(
    row: dict[str, Any], key: str, where: str, problems: list[str], required: bool = True
) -> None:
    value = row.get(key)
    if value is None:
        if required:
            problems.append(f"{where}: '{key}' is missing")
    elif not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' must be non-empty text, got {value!r}")


def _ids(rows: list[dict[str, Any]], prefix: str, what: str, problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for i, row in enumerate(rows):
        rid = row.get("id")
        if not isinstance(rid, str) or not _ID.match(rid) or not rid.startswith(prefix):
            problems.append(
                f"{what} #{i + 1}: id {rid!r} must be lowercase text starting {prefix!r}"
            )
            continue
        if rid in seen:
            problems.append(f"{what} {rid}: duplicate id")
        seen.add(rid)
    return seen


def _quote(text: Any, where: str, problems: list[str]) -> None:
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: quote is missing")
    elif len(text) > MAX_QUOTE:
        problems.append(f"{where}: quote has {len(text)} characters (at most {MAX_QUOTE})")


def validate(ds: Dataset) -> list[str]:
    p: list[str] = []
    sources = _ids(ds.sources, "src-", "source", p)
    entities = _ids(ds.entities, "ent-", "entity", p)
    _ids(ds.events, "ev-", "event", p)
    _ids(ds.claims, "cl-", "claim", p)
    metrics = {m.get("id") for m in ds.metrics}
    for s in ds.sources:
        where = f"source {s.get('id')}"
        for key in ("title", "language"):
            _text(s, key, where, p)
        if s.get("published") is not None:
            try:
                dates.precision_of(str(s["published"]))
            except dates.DateFormatError as exc:
                p.append(f"{where}: published {exc}")
    for m in ds.metrics:
        for key in ("id", "label", "label_en", "unit"):
            _text(m, key, f"metric {m.get('id')}", p)
    for e in ds.entities:
        where = f"entity {e.get('id')}"
        _text(e, "name", where, p)
        if e.get("kind") not in ENTITY_KINDS:
            p.append(f"{where}: kind {e.get('kind')!r} is not one of {', '.join(ENTITY_KINDS)}")
        primaries: dict[str, int] = {}
        seen: set[tuple[str, str]] = set()
        for a in e.get("aliases") or []:
            if (
                not isinstance(a, dict)
                or not isinstance(a.get("alias"), str)
                or a.get("lang") not in LANGS
            ):
                p.append(f"{where}: alias {a!r} needs 'alias' text and 'lang' in {LANGS}")
                continue
            if (a["alias"], a["lang"]) in seen:
                p.append(f"{where}: alias {a['alias']!r} ({a['lang']}) is listed twice")
            seen.add((a["alias"], a["lang"]))
            if a.get("primary"):
                primaries[a["lang"]] = primaries.get(a["lang"], 0) + 1
        p.extend(
            f"{where}: {n} primary aliases in {lang}" for lang, n in primaries.items() if n > 1
        )
    for ev in ds.events:
        where = f"event {ev.get('id')}"
        for key in ("title", "title_en"):
            _text(ev, key, where, p)
        p.extend(extras.summary_problems(ev, where))
        # An article may report an event without any words for its date; the note must then
        # say how the date was inferred.
        _text(ev, "date_text", where, p, required=not ev.get("date_note"))
        if ev.get("category") not in CATEGORIES:
            p.append(
                f"{where}: category {ev.get('category')!r} is not one of {', '.join(CATEGORIES)}"
            )
        if ev.get("qualifier", "exact") not in dates.QUALIFIERS:
            p.append(f"{where}: qualifier {ev.get('qualifier')!r} is not one of {dates.QUALIFIERS}")
        try:
            if not isinstance(ev.get("start"), str) or not isinstance(ev.get("end") or "", str):
                raise dates.DateFormatError("start and end must be quoted strings")
            dates.bounds(ev["start"], ev.get("end"), str(ev.get("precision")))
        except dates.DateFormatError as exc:
            p.append(f"{where}: {exc}")
        links = ev.get("entities") or []
        if not links:
            p.append(f"{where}: links no entity")
        for link in links:
            if link.get("entity") not in entities:
                p.append(f"{where}: unknown entity {link.get('entity')!r}")
            _text(link, "role", where, p)
        evidence = ev.get("sources") or []
        if not evidence:
            p.append(f"{where}: has no source")
        for ref in evidence:
            if ref.get("source") not in sources:
                p.append(f"{where}: unknown source {ref.get('source')!r}")
            _quote(ref.get("quote"), where, p)
    for c in ds.claims:
        where = f"claim {c.get('id')}"
        if c.get("entity") not in entities:
            p.append(f"{where}: unknown entity {c.get('entity')!r}")
        if c.get("metric") not in metrics:
            p.append(f"{where}: unknown metric {c.get('metric')!r}")
        if c.get("source") not in sources:
            p.append(f"{where}: unknown source {c.get('source')!r}")
        if isinstance(c.get("value"), bool) or not isinstance(c.get("value"), int | float):
            p.append(f"{where}: value {c.get('value')!r} must be a number")
        if c.get("qualifier", "exact") not in CLAIM_QUALIFIERS:
            p.append(f"{where}: qualifier {c.get('qualifier')!r} is not one of {CLAIM_QUALIFIERS}")
        for key in ("value_text", "unit", "as_of"):
            _text(c, key, where, p)
        try:
            dates.precision_of(str(c.get("as_of")))
        except dates.DateFormatError as exc:
            p.append(f"{where}: as_of {exc}")
        _quote(c.get("quote"), where, p)
    p.extend(extras.validate(ds, sources, entities))
    return p


def value_range(value: float, qualifier: str) -> tuple[float | None, float | None]:
    """The interval a claimed figure allows: 'more than 2,400' allows [2400, inf)."""
    if qualifier in ("more_than", "at_least"):
        return value, None
    if qualifier == "less_than":
        return None, value
    if qualifier in ("about", "estimate"):
        spread = abs(value) * 0.1
        return value - spread, value + spread
    return value, value
