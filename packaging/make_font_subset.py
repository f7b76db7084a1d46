"""Build the CJK font subset bundled in resources/fonts/ from Debian's fonts-noto-cjk.

The app registers the result at start-up (explorer.ui.fonts), so Korean and Chinese render on
machines without any CJK font. Only this build step needs fontTools; the app does not.

Exact commands (from the repository root; nothing is installed system-wide)::

    apt-get update
    cd /tmp && apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    cd -
    python -m pip install fonttools
    python packaging/make_font_subset.py \\
        /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \\
        --licence /tmp/noto/usr/share/doc/fonts-noto-cjk/copyright

Each SOURCE may be the Noto Sans CJK collection (.ttc, the "Noto Sans CJK KR" face is taken)
or a single-face OTF. Add NotoSansCJK-Bold.ttc as a second SOURCE for a Bold face.

The subset keeps: Basic Latin, Latin-1, pinyin letters, General Punctuation, arrows, geometric
shapes and other UI symbols, CJK Symbols and Punctuation, full-width forms, Hangul Jamo,
Hangul Compatibility Jamo, all 11,172 Hangul syllables, the 6,763 hanzi of GB2312, and every
character of data/curated/*.yaml and ../shared/seeds/*.txt (characters the source font lacks
are listed and skipped). The family is renamed "Explorer Noto Sans CJK KR" so it never clashes
with a full Noto Sans CJK KR the user may have installed.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "resources" / "fonts"
DEFAULT_TEXTS = [
    str(ROOT / "data" / "curated" / "*.yaml"),
    str(ROOT.parent / "shared" / "seeds" / "*.txt"),
]
FACE = "Noto Sans CJK KR"
FAMILY = "Explorer Noto Sans CJK KR"
PS_PREFIX = "ExplorerNotoSansCJKkr"

# (first, last, label) — inclusive code point ranges; only code points the font maps are kept.
RANGES: list[tuple[int, int, str]] = [
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x01CD, 0x01DC, "Latin Extended-B: pinyin vowels with caron"),
    (0x02C6, 0x02DD, "Spacing Modifier Letters (tone marks)"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2150, 0x218F, "Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2300, 0x23FF, "Miscellaneous Technical"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2600, 0x26FF, "Miscellaneous Symbols"),
    (0x2700, 0x27BF, "Dingbats"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x1100, 0x11FF, "Hangul Jamo"),
    (0x3130, 0x318F, "Hangul Compatibility Jamo"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months"),
    (0x3300, 0x33FF, "CJK Compatibility (units)"),
    (0xAC00, 0xD7A3, "Hangul Syllables"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
]


def gb2312_hanzi() -> set[int]:
    """The 6,763 hanzi of GB2312: rows 16–87 (lead bytes 0xB0–0xF7)."""
    out: set[int] = set()
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([lead, trail]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return out


def text_chars(patterns: Iterable[str]) -> tuple[set[int], list[Path]]:
    """Every non-whitespace, non-control character of the files matching the glob patterns."""
    files: list[Path] = []
    for pattern in patterns:
        p = Path(pattern)
        files.extend(sorted(p.parent.glob(p.name)))
    chars: set[int] = set()
    for f in files:
        for ch in f.read_text(encoding="utf-8"):
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                continue
            chars.add(ord(ch))
    return chars, files


def open_face(source: Path) -> TTFont:
    """The "Noto Sans CJK KR" face of a collection, or the font itself."""
    if source.suffix.lower() in {".ttc", ".otc"}:
        for font in TTCollection(str(source)).fonts:
            name = font["name"]
            if FACE in (name.getDebugName(16), name.getDebugName(1)):
                return font
        raise SystemExit(f"{source}: no {FACE!r} face in the collection")
    return TTFont(str(source))


def style_of(font: TTFont) -> str:
    name = font["name"]
    return str(name.getDebugName(17) or name.getDebugName(2) or "Regular")


def rename(font: TTFont, style: str) -> None:
    """Give the subset its own family name (OFL: a Modified Version; avoids clashing with an
    installed full Noto Sans CJK KR)."""
    name = font["name"]
    ps_name = f"{PS_PREFIX}-{style.replace(' ', '')}"
    version = name.getDebugName(5) or ""
    names = {
        1: FAMILY if style in {"Regular", "Bold"} else f"{FAMILY} {style}",
        2: style if style in {"Regular", "Bold"} else "Regular",
        3: f"{version.split(';')[0]};{ps_name};subset",
        4: f"{FAMILY} {style}",
        6: ps_name,
        16: FAMILY,
        17: style,
    }
    for rec in list(name.names):
        if rec.nameID in names:
            name.removeNames(nameID=rec.nameID)
    for name_id, value in names.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames[0] = ps_name
        top = cff.topDictIndex[0]
        for attr, value in (("FullName", f"{FAMILY} {style}"), ("FamilyName", FAMILY)):
            if hasattr(top, attr):
                setattr(top, attr, value)


def build(source: Path, out_dir: Path, wanted: set[int]) -> tuple[Path, set[int]]:
    font = open_face(source)
    cmap = font.getBestCmap()
    keep = {c for c in wanted if c in cmap}
    style = style_of(font)
    options = subset.Options()
    # All features: locl (SC/TC/JP glyph forms, ~5,900 glyphs), vert, ljmo/vjmo/tjmo, palt, kern.
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep copyright (0), licence (13) and licence URL (14)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(keep))
    subsetter.subset(font)
    rename(font, style)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{PS_PREFIX}-{style.replace(' ', '')}.otf"
    font.recalcTimestamp = False  # keep the source's head.modified: same input, same bytes
    font.save(str(out))
    return out, keep


def write_licence(copyright_file: Path, out: Path, source: Path) -> None:
    """OFL.txt from Debian's copyright file (which is upstream's LICENSE, Debian-formatted)."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    start = len(lines) - lines[::-1].index("License: SIL-1.1")  # the stand-alone paragraph
    body: list[str] = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    notice = str(open_face(source)["name"].getDebugName(0) or "").strip()
    header = [
        f"Noto Sans CJK, {notice}",
        "Noto is a trademark of Google Inc.",
        "Subset and renamed for Explorer (see README.md); still under the licence below.",
        "",
    ]
    out.write_text("\n".join(header + body).rstrip() + "\n", encoding="utf-8")


def describe(chars: Iterable[int]) -> str:
    return " ".join(f"U+{c:04X} {chr(c)} ({unicodedata.name(chr(c), '?')})" for c in sorted(chars))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", type=Path, help="NotoSansCJK-*.ttc or an OTF")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--text",
        action="append",
        help="glob of UTF-8 files whose characters must be covered (default: curated + seeds)",
    )
    parser.add_argument("--licence", type=Path, help="Debian copyright file to copy as OFL.txt")
    args = parser.parse_args(argv)

    wanted: set[int] = set()
    for first, last, _label in RANGES:
        wanted.update(range(first, last + 1))
    hanzi = gb2312_hanzi()
    wanted |= hanzi
    texts, files = text_chars(args.text or DEFAULT_TEXTS)
    wanted |= texts
    print(f"GB2312 hanzi: {len(hanzi)}; text files: {len(files)}, distinct characters {len(texts)}")

    for source in args.sources:
        out, keep = build(source, args.out, wanted)
        missing = texts - keep
        hangul = sum(1 for c in keep if 0xAC00 <= c <= 0xD7A3)
        han = sum(1 for c in keep if 0x3400 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF)
        print(
            f"{out}: {out.stat().st_size:,} bytes, {len(keep):,} code points "
            f"({hangul:,} Hangul syllables, {han:,} Han, "
            f"{len(hanzi & keep):,}/{len(hanzi):,} GB2312 hanzi)"
        )
        print(f"  text characters the source font lacks: {describe(missing) or 'none'}")
    if args.licence:
        write_licence(args.licence, args.out / "OFL.txt", args.sources[0])
        print(f"{args.out / 'OFL.txt'} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
