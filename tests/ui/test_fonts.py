"""The bundled CJK font (resources/fonts/): it registers, covers every character of the curated
dataset, and really draws Hangul and Han glyphs, with no CJK font installed on the machine."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import yaml
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QRawFont, QTextLayout

from explorer import paths
from explorer.ui import fonts

FAMILY = "Explorer Noto Sans CJK KR"
SAMPLE = "바이두 百度 上海 하이뎬 习近平"
# In the curated text but absent from Noto Sans CJK 2.004 itself (listed in resources/fonts/
# README.md); Qt draws them from a system font (DejaVu Sans, Segoe UI Symbol…).
SOURCE_FONT_LACKS = {"\u223c"}  # ∼ TILDE OPERATOR, as in "1∼6위"


def _font_file() -> Path:
    files = fonts.bundled_font_files()
    assert files, f"no font file in {fonts.fonts_dir()}"
    return files[0]


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _curated_chars() -> set[str]:
    chars: set[str] = set()
    for path in sorted(paths.curated_dir().glob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            chars.update(text)
    return {c for c in chars if not c.isspace() and not unicodedata.category(c).startswith("C")}


def _render(text: str, font: QFont, size: tuple[int, int] = (64, 64)) -> QImage:
    image = QImage(*size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def _ink(image: QImage) -> int:
    """How many pixels are not white."""
    white = QColor("white").rgb()
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixel(QPoint(x, y)) != white
    )


def test_registration_returns_the_bundled_family(qapp):
    families = fonts.register_bundled_fonts()
    assert FAMILY in families
    assert QFontDatabase.hasFamily(FAMILY)
    assert fonts.register_bundled_fonts() == families  # a second call adds nothing new


def test_missing_folder_logs_a_warning_and_returns_nothing(qapp, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path / "nowhere")
    with caplog.at_level(logging.WARNING, logger="explorer.ui.fonts"):
        assert fonts.register_bundled_fonts() == []
    assert "no bundled fonts" in caplog.text


def test_font_covers_every_character_of_the_curated_dataset(qapp):
    raw = QRawFont(str(_font_file()), 16)
    assert raw.isValid()
    assert raw.familyName() == FAMILY
    chars = _curated_chars()
    assert any("\uac00" <= c <= "\ud7a3" for c in chars)
    assert any("\u4e00" <= c <= "\u9fff" for c in chars)
    missing = sorted(c for c in chars - SOURCE_FONT_LACKS if not raw.supportsCharacter(ord(c)))
    assert missing == [], [f"U+{ord(c):04X} {c} {unicodedata.name(c, '?')}" for c in missing]


def test_font_covers_all_hangul_syllables_and_ui_symbols(qapp):
    raw = QRawFont(str(_font_file()), 16)
    hangul = [c for c in range(0xAC00, 0xD7A4) if not raw.supportsCharacter(c)]
    assert hangul == []
    symbols = "←→↑↓▲▼◀▶●○■□…·「」『』、。，：（）"
    # By code point: PySide6's str overload answers False for some full-width forms.
    assert [c for c in symbols if not raw.supportsCharacter(ord(c))] == []


def test_sample_is_drawn_with_bundled_glyphs(qapp):
    font = fonts.ui_font(14)
    assert font.families()[-1] == FAMILY
    assert font.families()[0] != FAMILY  # Latin keeps the platform's UI family
    assert font.pointSizeF() == 14

    for word in SAMPLE.split():
        layout = QTextLayout(word, font)
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        runs = layout.glyphRuns()
        assert [r.rawFont().familyName() for r in runs] == [FAMILY], word
        glyphs = runs[0].glyphIndexes()
        assert len(glyphs) == len(word)
        assert 0 not in glyphs, word  # glyph 0 is .notdef

    image = _render(SAMPLE, font, (400, 40))
    assert _ink(image) > 200


def test_distinct_cjk_characters_draw_distinct_glyphs(qapp):
    font = fonts.ui_font(28)
    notdef = _render("\ue000", font)  # a private-use code point no font here maps
    images: dict[str, bytes] = {}
    for ch in "바이두百度上海하이뎬习近平":
        image = _render(ch, font)
        assert _ink(image) > 20, f"{ch} drew nothing"
        assert image != notdef, f"{ch} drew the .notdef box"
        images[ch] = bytes(image.constBits())
    distinct = set(images.values())
    assert len(distinct) == len(images), "two different characters drew the same pixels"


def test_apply_app_font_sets_the_fallback(qapp):
    before = qapp.font()
    try:
        fonts.apply_app_font(qapp)
        assert FAMILY in qapp.font().families()
    finally:
        qapp.setFont(before)


def test_licence_sits_next_to_the_font(qapp):
    for font_file in fonts.bundled_font_files():
        licence = font_file.parent / "OFL.txt"
        assert licence.is_file()
        text = licence.read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in text
        assert "Adobe" in text
