"""HTML from other tools' text fields, made plain: tags dropped, entities decoded, links kept
as 'text (url)'. Nothing is ever rendered or fetched.

Only formats whose text *is* HTML (TimelineJS) go through here. The parser is libxml2's HTML
parser through lxml: written in C, linear in its input on crafted markup (repeated `<!--`,
`<a`, `</`, `&#`, `<![CDATA[`, deep nesting), where the standard library's html.parser is
quadratic (bench/hostile_linear.py prints both). libxml2 stops at a nesting depth of 2,048;
text nested deeper than that is made plain by dropping every tag, in one linear pass.
"""

from __future__ import annotations

import html
import re
import threading

from lxml import etree

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "cite",
        "hr",
    }
)
_VOID = frozenset({"br", "hr"})  # a line break where they stand, once
_SKIP = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
_TAG = re.compile(r"<[a-zA-Z/!?]")
_ANY_TAG = re.compile(r"<[^<>]*>")  # for the fallback: linear, a match never spans a '<'
_local = threading.local()  # lxml parsers are not to be shared between threads


def _parser() -> etree.HTMLParser:
    parser: etree.HTMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            no_network=True,
            remove_comments=True,
            remove_pis=True,
            recover=True,
            huge_tree=True,
        )
        _local.parser = parser
    return parser


def _walk(root: etree._Element, skip_class: str | None) -> str:
    parts: list[str] = []
    skip = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if skip_class and tag and skip_class in (el.get("class") or "").split():
            tag = "template"  # left out with all it holds, like a <template>
        if event == "start":
            if tag in _SKIP:
                skip += 1
            elif tag in _BLOCKS:
                parts.append("\n")
            if not skip and el.text:
                parts.append(el.text)
            continue
        if tag in _SKIP:
            skip = max(0, skip - 1)
        elif tag in _BLOCKS and tag not in _VOID:
            parts.append("\n")
        if tag == "a" and not skip:
            href = el.get("href")
            if href and href.startswith(("http://", "https://")):
                parts.append(f" ({href})")
        if not skip and el.tail:
            parts.append(el.tail)
    return "".join(parts)


def _markup_text(text: str, skip_class: str | None) -> str:
    parser = _parser()
    try:
        root = etree.fromstring(f"<div>{text}</div>", parser)
    except (etree.LxmlError, ValueError):
        root = None
    halted = any(e.level_name == "FATAL" for e in parser.error_log)
    if root is None or halted:  # nested past libxml2's limit, or not parseable at all
        return html.unescape(_ANY_TAG.sub(" ", text))
    return _walk(root, skip_class)


def plain(text: str | None, *, skip_class: str | None = None) -> str:
    """The readable text of an HTML fragment (or of plain text, unchanged but trimmed);
    elements of the class `skip_class` are left out."""
    if not text:
        return ""
    if _TAG.search(text):
        text = _markup_text(text, skip_class)
    elif "&" in text:
        text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
