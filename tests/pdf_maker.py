"""Small PDFs written byte by byte for the tests: Korean, Japanese and Chinese set in CID
fonts the way real decks are (no ToUnicode map, a ToUnicode map that is wrong, an embedded
TrueType subset with or without its cmap), and a page with no text at all. Nothing here is
from the web."""

from __future__ import annotations

import io
import zlib

from pipeline.models.cid_profile import load_profile


def cids(text: str, ordering: str = "Korea1") -> list[int]:
    """The CIDs of ``text`` in Adobe-``ordering`` (Korea1, Japan1, GB1, CNS1; the space is
    CID 1 in all four), as the collection's profile encodes each character."""
    prof = load_profile(f"adobe-{ordering.lower()}")
    out = []
    for ch in text:
        cid = prof.cid_of(ch)
        if cid is None:
            raise ValueError(f"no Adobe-{ordering} CID for {ch!r}")
        out.append(cid)
    return out


def _hex(codes: list[int]) -> str:
    return "<" + "".join(f"{c:04X}" for c in codes) + ">"


def _content(lines: list) -> bytes:
    ops = ["BT"]
    for k, line in enumerate(lines):
        font, codes = line if isinstance(line, tuple) else ("F1", line)
        ops.append(f"/{font} 24 Tf 1 0 0 1 72 {760 - 40 * k} Tm {_hex(codes)} Tj")
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


def _stream(data: bytes, extra: str = "") -> bytes:
    packed = zlib.compress(data)
    return f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + packed + b"\nendstream"


def write_pdf(pages: list[list[list[int]]], *, ordering: str = "Korea1", subtype: str = "CIDFontType0",
              tounicode: dict[int, str] | None = None, font_file: bytes | None = None,
              title: str = "시험 발표", author: str = "Kim", font_name: str = "KoreanDeckFont",
              more_fonts: dict[str, str] | None = None) -> bytes:
    """A PDF whose pages show lines of 2-byte codes (Identity-H) in a Type0 font, ``/F1``,
    whose CIDSystemInfo names Adobe-``ordering`` (``Identity``: no collection). A line is
    a list of codes in ``/F1``, or ``(resource name, codes)`` in one of ``more_fonts``
    (resource name -> ordering: CID fonts with no ToUnicode map and no program)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font_desc = "/FontDescriptor 6 0 R " if font_file is not None else ""
    to_uni = ""
    # reserve: 1 catalog, 2 pages, 3 Type0 font, 4 CID font, 5 info, 6 descriptor, 7 font file, 8 ToUnicode
    add(b"<< /Type /Catalog /Pages 2 0 R >>")
    add(b"")  # pages, filled below
    if tounicode is not None:
        to_uni = "/ToUnicode 8 0 R "
    add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{font_name} /Encoding /Identity-H "
        f"/DescendantFonts [4 0 R] {to_uni}>>".encode())
    cid_to_gid = "/CIDToGIDMap /Identity " if subtype == "CIDFontType2" else ""
    add(f"<< /Type /Font /Subtype /{subtype} /BaseFont /{font_name} "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering ({ordering}) /Supplement 0 >> {font_desc}{cid_to_gid}"
        f"/DW 1000 >>".encode())
    info = f"<< /Title <FEFF{title.encode('utf-16-be').hex()}> /Author ({author}) >>"
    add(info.encode())
    add(f"<< /Type /FontDescriptor /FontName /{font_name}".encode() + b" /Flags 4 /FontBBox [0 -200 1000 800] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>")
    add(_stream(font_file or b"", f"/Length1 {len(font_file or b'')} "))
    if tounicode is not None:
        body = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
                "/CMapName /Test-UCS def /CMapType 2 def",
                "1 begincodespacerange <0000> <FFFF> endcodespacerange",
                f"{len(tounicode)} beginbfchar"]
        body += [f"<{c:04X}> <{t.encode('utf-16-be').hex().upper()}>" for c, t in sorted(tounicode.items())]
        body += ["endbfchar", "endcmap CMapName currentdict /CMap defineresource pop end end"]
        add(_stream("\n".join(body).encode("ascii")))
    else:
        add(b"<< >>")
    fonts = {"F1": 3}
    for key, other in (more_fonts or {}).items():
        fonts[key] = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{key}Font /Encoding /Identity-H "
                         f"/DescendantFonts [{len(objs) + 2} 0 R] >>".encode())
        add(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /{key}Font /CIDSystemInfo << /Registry (Adobe) "
            f"/Ordering ({other}) /Supplement 0 >> /DW 1000 >>".encode())
    resources = " ".join(f"/{key} {num} 0 R" for key, num in fonts.items())
    kids = []
    for lines in pages:
        content = add(_stream(_content(lines)))
        kids.append(add(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
                        f"/Resources << /Font << {resources} >> >> >>".encode()))
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    return _assemble(objs, "/Info 5 0 R ")


def _assemble(objs: list[bytes], trailer: str = "") -> bytes:
    """The objects (numbered from 1, the catalog first) with their cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{k} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R {trailer}>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def no_text_pdf() -> bytes:
    """One page with a drawn rectangle and no text (a scanned page looks like this to a reader)."""
    body = b"0 0 1 rg 100 100 200 200 re f"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
            _stream(body)]
    return _assemble(objs)


def truetype_subset(text: str, keep_cmap: bool = True) -> tuple[bytes, list[int]]:
    """A TrueType font of empty glyphs, one per distinct character of ``text`` (glyph ids in
    the order first seen, as a subsetter renumbers them); with its cmap, or without it (as
    subsets embedded in PDFs often are). Returns the font and the glyph ids of ``text``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = list(dict.fromkeys(text))
    names = [".notdef"] + [f"g{k}" for k in range(1, len(chars) + 1)]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"g{k}" for k, c in enumerate(chars, 1)})
    pen = TTGlyphPen(None)
    empty = pen.glyph()
    fb.setupGlyf({n: empty for n in names})
    fb.setupHorizontalMetrics({n: (1000, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "KoreanDeckFont", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    if not keep_cmap:
        del fb.font["cmap"]
    buf = io.BytesIO()
    fb.font.save(buf)
    gid = {c: k for k, c in enumerate(chars, 1)}
    return buf.getvalue(), [gid[c] for c in text]
