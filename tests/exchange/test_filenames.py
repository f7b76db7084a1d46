import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.exchange.filenames import FORBIDDEN, MAX_BYTES, is_reserved, safe_filename


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("C:\\Windows\\system32", "C-Windows-system32"),
        ("C:", "C-"),
        ("CON", "_CON"),
        ("aux.txt", "_aux.txt"),
        ("lpt9", "_lpt9"),
        ("Com1 .log", "_Com1 .log"),
        ("a/b", "a-b"),
        ("", "untitled"),
        ("   ", "untitled"),
        ("...", "untitled"),
        ("..", "untitled"),
        (".", "untitled"),
        (".hidden", "hidden"),
        ("-rf", "rf"),
        ("\x00evil", "evil"),
        ("name. . .", "name"),
        ("a\tb\nc", "a b c"),
        ("bad\u202egnp.exe", "badgnp.exe"),  # a right-to-left override would disguise it
        ("상하이 AI 연맹: 2019/07", "상하이 AI 연맹- 2019-07"),
        ("北京市人工智能 * 报告?", "北京市人工智能 - 报告-"),
        ("Console", "Console"),  # only the device names themselves are reserved
    ],
)
def test_hostile_titles(title, expected):
    assert safe_filename(title) == expected


def test_suffix_is_appended_after_the_checks():
    assert safe_filename("../../etc/passwd", ".json") == "etc-passwd.json"
    assert safe_filename("CON", ".txt") == "_CON.txt"
    assert safe_filename("", ".html") == "untitled.html"
    assert safe_filename("report", " (2).html") == "report (2).html"


def test_huge_title_and_max_len():
    assert safe_filename("가" * 1_000_000, max_len=1_000_000) == "가" * 85  # 255 bytes


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "한국어 café")
    assert safe_filename(decomposed) == "한국어 café"


def test_long_title_is_cut_to_max_len():
    name = safe_filename("x" * 500, ".json")
    assert name == "x" * 100 + ".json"
    assert safe_filename("가" * 500, max_len=20) == "가" * 20
    assert len(safe_filename("word " * 100, max_len=12)) <= 12
    assert safe_filename("word " * 100, max_len=12) == "word word wo"


def test_long_korean_title_fits_in_255_bytes():
    # 100 Hangul syllables are 300 bytes of UTF-8, more than ext4 or APFS take in one name.
    name = safe_filename("가" * 500, ".html")
    assert len(name.encode("utf-8")) <= MAX_BYTES and name.endswith(".html")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_text("ok")


def test_cut_never_makes_a_reserved_or_dotted_name():
    assert safe_filename("CON.txt", max_len=4) == "_CON"
    assert safe_filename("ab.   c", max_len=3) == "ab"
    assert safe_filename("CON", max_len=3) == "_CO"
    assert safe_filename("CON", max_len=1) == "C"


@pytest.mark.parametrize("suffix", ["/x", "a\\b", ".txt.", "\x00", ". ", "a:b", "a\tb", " "])
def test_unsafe_suffix_is_refused(suffix):
    with pytest.raises(ValueError):
        safe_filename("title", suffix)


def test_max_len_must_be_positive():
    with pytest.raises(ValueError):
        safe_filename("title", max_len=0)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("names").resolve()


@settings(max_examples=300, deadline=None)
@given(
    title=st.one_of(
        st.text(),
        # titles made of the pieces that cause trouble, so that they meet often
        st.lists(
            st.sampled_from(
                [
                    ".",
                    "..",
                    "/",
                    "\\",
                    ":",
                    " ",
                    "-",
                    "CON",
                    "aux",
                    "com1",
                    "Lpt9",
                    ".txt",
                    "\x00",
                    "\u202e",
                    "\u200d",
                    "가",
                    "\u1100\u1161",
                    "e\u0301",
                    "C:",
                    "\ud800",
                ]
            ),
            max_size=12,
        ).map("".join),
    ),
    suffix=st.sampled_from(["", ".json", ".html", ".tar.gz"]),
    max_len=st.integers(min_value=1, max_value=200),
)
def test_any_title_gives_a_safe_name(folder, title, suffix, max_len):
    name = safe_filename(title, suffix, max_len)
    stem = name[: len(name) - len(suffix)]
    assert name and stem
    assert not any(ch in name for ch in FORBIDDEN)
    assert not is_reserved(name)
    assert not name.startswith(".") and name not in (".", "..")
    assert not name.endswith((".", " "))
    assert len(name) <= max_len + len(suffix)
    assert len(name.encode("utf-8")) <= MAX_BYTES
    assert unicodedata.is_normalized("NFC", name)
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in name)
    target = (folder / name).resolve()
    assert target.parent == folder
    target.write_bytes(b"")  # the file system takes it
    assert target.exists()
    target.unlink()
