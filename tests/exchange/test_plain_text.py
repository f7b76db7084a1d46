"""The markup-to-text step of formats whose text is HTML (TimelineJS)."""

from __future__ import annotations

import pytest

from explorer.exchange.imports.plain_text import plain
from tests.hang import alarm


def test_tags_entities_links_and_blocks():
    text = '<p>One &amp; <a href="https://x.org">two</a></p><script>bad()</script>tail<br>end'
    assert plain(text) == "One & two (https://x.org)\ntail\nend"
    assert plain('<a href="javascript:alert(1)">x</a>') == "x"
    assert plain("a < b and c > d") == "a < b and c > d"
    assert plain("Fish &amp; chips") == "Fish & chips"


def test_text_nested_past_the_parsers_depth_limit_is_kept():
    deep = "<div>" * 5000 + "deep text" + "</div>" * 5000 + " after"
    assert plain(deep) == "deep text after"


@pytest.mark.parametrize("unit", ["<!--", "<a", "</", "&#", "<![CDATA[", "<a x='", "<?", "<b>"])
def test_crafted_markup_of_400_kb_ends_quickly(unit):
    with alarm(30):  # html.parser took 76 s on 400 KB of '<!--'
        plain("x" + unit * (400_000 // len(unit)))
