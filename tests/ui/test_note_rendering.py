"""User and imported note text is shown through one renderer that runs nothing, loads
nothing, and only links to web addresses."""

import time
from html.parser import HTMLParser

import pytest

from explorer.ui.rich_text import SafeBrowser, render_note

HOSTILE = [
    '<img src="file:///etc/passwd">',
    "<script>alert(1)</script>",
    "![remote](https://tracker.example/pixel.png)",
    "![local](file:///etc/passwd)",
    "[click](file:///etc/passwd)",
    "[js](javascript:alert(1))",
    '<a href="file:///x">x</a>',
    "<iframe src=https://x></iframe>",
    "<style>body{background:url(https://x)}</style>",
]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("fmt", ["plain", "markdown"])
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_runs_and_loads_nothing(text, fmt):
    parser = Tags()
    parser.feed(render_note(text, fmt))
    for tag, attrs in parser.found:
        assert tag in {"p", "a", "strong", "em", "code", "ul", "ol", "li", "br"}, (text, tag)
        assert "src" not in attrs, (text, attrs)
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://")), (text, attrs)


def test_markdown_keeps_formatting_and_web_links():
    out = render_note("**굵게** and [site](https://example.org)\n\n- 하나\n- 둘", "markdown")
    assert "<strong>굵게</strong>" in out and '<a href="https://example.org">site</a>' in out
    assert "<li>하나</li>" in out


def test_plain_text_is_never_interpreted():
    out = render_note("**not bold** <b>x</b>\nline two", "plain")
    assert "<strong>" not in out and "&lt;b&gt;" in out and "pre-wrap" in out


def test_right_to_left_combining_and_huge_text(qtbot):
    text = "‮مرحبا‬ e\u0301 한\u1100 " + "가나다 " * 250_000  # about 1 MB
    started = time.perf_counter()
    html = render_note(text, "markdown")
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.set_body(html)
    assert time.perf_counter() - started < 20
    assert "مرحبا" in browser.toPlainText()[:200]
    assert len(browser.toPlainText()) > 900_000


def test_browser_loads_no_resources(qtbot):
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    requested = []
    original = browser.loadResource

    def spy(kind, name):
        requested.append(name)
        return original(kind, name)

    browser.loadResource = spy
    browser.set_body(render_note("![x](https://example.org/a.png) [l](https://e.org)", "markdown"))
    assert all(r is None for r in (original(0, n) for n in requested))
