"""A smaller ICU data library for the Linux bundle.

Qt on Linux links ICU; the PySide6 wheel ships ICU's whole data library (32 MB: every
locale's names of languages, currencies, units and zones, legacy character sets, word-break
dictionaries, transliterators). Qt uses little of it here: collation (QCollator: file
dialogs, sorting), case mapping and normalization (built into ICU's code), time zones. This
keeps ICU's core tables, collation for the root order and Korean, English and Chinese, the
base locale data of those languages and the time zone rules, and drops the rest (3.7 MB).

The data library is ICU's "common data" package (a table of contents of named items, then
the items) exported as one symbol; the package is filtered here in Python and assembled
into a shared library with the C compiler (`.incbin`), with the original's soname.

    python packaging/slim_icu.py PATH/TO/libicudata.so.73 OUTDIR   # prints what it kept
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

#: Locales whose data is kept (the interface languages, Chinese for the sources, and root).
LOCALES = ("root", "ko", "en", "zh")
#: Top-level resource bundles that are not locales and are kept.
KEEP_TOP = {
    "res_index.res", "pool.res", "likelySubtags.res", "supplementalData.res", "metadata.res",
    "zoneinfo64.res", "timezoneTypes.res", "metaZones.res", "windowsZones.res",
    "keyTypeData.res", "icuver.res", "icustd.res", "numberingSystems.res", "plurals.res",
    "dayPeriods.res", "grammaticalFeatures.res", "genderList.res", "currencyNumericCodes.res",
}  # fmt: skip


def wanted(name: str) -> bool:
    """Whether an item (`coll/ko.res`, `nfkc.nrm`, ...) is kept."""
    folder, _, base = name.rpartition("/")
    if folder == "":
        if base.endswith(".cnv") or base == "unames.icu":  # legacy charsets, character names
            return False
        if base.endswith(".res"):
            return base in KEEP_TOP or _locale_ok(base)
        return True  # core tables: properties, normalization, aliases
    if folder == "coll":
        return base.endswith(".icu") or _locale_ok(base)
    return False  # brkitr, curr, lang, region, unit, zone, translit, rbnf


def _locale_ok(base: str) -> bool:
    stem = base.removesuffix(".res")
    return stem in ("res_index", "pool") or stem.split("_")[0] in LOCALES


def read_package(data: bytes) -> tuple[bytes, str, list[tuple[str, bytes]]]:
    """(header, tree prefix, [(item name, item bytes)]) of a little-endian package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    toc = data[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_off, data_off) in enumerate(entries):
        name = toc[name_off : toc.index(b"\0", name_off)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_off:end]))
    prefix = items[0][0].split("/", 1)[0]
    return data[:header_size], prefix, items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package with these items, in the given (sorted) order."""
    count = len(items)
    names = b""
    name_offsets = []
    base = 4 + 8 * count
    for name, _ in items:
        name_offsets.append(base + len(names))
        names += name.encode("ascii") + b"\0"
    body_start = base + len(names)
    body_start += -body_start % 16
    toc = bytearray(struct.pack("<I", count))
    body = bytearray()
    for (_, blob), name_off in zip(items, name_offsets, strict=True):
        body += b"\xaa" * (-len(body) % 16)
        toc += struct.pack("<II", name_off, body_start + len(body))
        body += blob
    out = bytearray(header) + toc + names
    out += b"\xaa" * (len(header) + body_start - len(out))
    return bytes(out + body)


def slim(src: Path, out_dir: Path) -> tuple[Path, int, int]:
    """Write a slim copy of the ICU data library `src` into `out_dir`; returns its path and
    the numbers of items kept and found."""
    elf = src.read_bytes()
    symbol, offset, size = _data_symbol(src)
    header, prefix, items = read_package(elf[offset : offset + size])
    kept = [(n, b) for n, b in items if wanted(n.split("/", 1)[1])]
    package = write_package(header, kept)
    # every kept item is byte-identical to the original's
    assert dict(read_package(package)[2]) == dict(kept)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / f"{prefix}.dat"
        dat.write_bytes(package)
        asm = Path(tmp) / "data.S"
        asm.write_text(
            f""".section .rodata
.balign 16
.globl {symbol}
.type {symbol}, @object
{symbol}:
.incbin "{dat}"
.size {symbol}, .-{symbol}
.section .note.GNU-stack,"",@progbits
"""
        )
        out = out_dir / src.name
        subprocess.run(
            ["cc", "-shared", "-nostdlib", f"-Wl,-soname,{src.name}", "-o", str(out), str(asm)],
            check=True,
        )
    return out, len(kept), len(items)


def _data_symbol(lib: Path) -> tuple[str, int, int]:
    """The package symbol (`icudt73_dat`) and its file offset and size."""
    symbols = subprocess.run(
        ["readelf", "-sW", str(lib)], check=True, capture_output=True, text=True
    ).stdout
    sections = subprocess.run(
        ["readelf", "-SW", str(lib)], check=True, capture_output=True, text=True
    ).stdout
    m = re.search(
        r"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+(\d+)\s+(icudt\d+_dat)",
        symbols,
    )
    if m is None:
        raise ValueError(f"{lib} exports no ICU data symbol")
    address, size, index, symbol = int(m[1], 16), int(m[2], 0), int(m[3]), m[4]
    for line in sections.splitlines():
        s = re.match(r"\s*\[\s*(\d+)\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if s and int(s[1]) == index:
            return symbol, address - int(s[2], 16) + int(s[3], 16), size
    raise ValueError(f"no section {index} in {lib}")


if __name__ == "__main__":
    path, kept, found = slim(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{path}: {path.stat().st_size:,} bytes, {kept} of {found} items")
