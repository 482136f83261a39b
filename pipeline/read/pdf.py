"""Read a deck's PDF: one slide per page, each glyph's code kept and how it became text.

In the PDF the damage has not happened yet: a glyph's CID is in the content stream, and
its font says which map, if any, turns it into text. Every glyph of a CID font is kept
in ``raw`` as ``(cid:N)``, and the text comes in as repairs whose rule says the route:

``tounicode``       the font's own ToUnicode map, used as is (a wrong map is mended by the
                    text stages afterwards);
``cid-collection``  a CID profile: the one of the collection the font names in its
                    CIDSystemInfo (Adobe-Korea1, Adobe-Japan1, Adobe-GB1, Adobe-CNS1),
                    whatever profile the caller chose (a PDF that says what it is is not a
                    guess); or, for an Adobe-Identity font with no TrueType program (Keynote's
                    exports), the profile the caller named, so one CID is one character on
                    both; for a collection with no profile, pdfminer.six's map of it;
``font-cmap``       an embedded TrueType font's own ``cmap`` table;

and a glyph none of them maps (an embedded subset whose glyphs were renumbered and whose
``cmap`` was stripped) is quarantined as ``unmapped-glyph``, its glyph id in ``raw`` as
``(gid:N)`` (never read as a CID of any collection).

With the profile ``"auto"``, an Adobe-Identity font with no TrueType program names no
collection, so the reader does not pick one: its glyphs are ``raw`` as their CIDs taken as
code points, as transcript extractors emit them (``(cid:N)`` where that code point would be
whitespace, a line break or no character at all), with no repair, and the CID steps decide
by likelihood which collection explains the deck and repair them (route ``cid-code-point``).
Text in simple fonts (Latin set in a Type 1 or TrueType font) is ``raw`` as pdfminer.six
reads it. Spaces and line breaks between words and lines come from pdfminer.six's layout
analysis.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.deck import Deck, Slide
from pipeline.models.cid_profile import DEFAULT_PROFILE, CidProfile, UnknownProfile, available_profiles, load_profile
from pipeline.models.rule_files import load_json

AUTO = "auto"  # no profile forced: the collection is the font's, or the CID steps decide it

def is_pdf(data: bytes) -> bool:
    """A PDF by its content (``%PDF-`` within the first KB), whatever the file is called."""
    return b"%PDF-" in data[:1024]


@dataclass
class _Page:
    raw: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, text or "", route
    pos: int = 0

    def add(self, raw: str, text: str | None = None, route: str | None = None) -> None:
        if route is not None and self.spans and self.spans[-1][3] == route and self.spans[-1][1] == self.pos:
            start, _end, prev, _route = self.spans[-1]  # one span per run of glyphs of one route
            self.spans[-1] = (start, self.pos + len(raw), prev + (text or ""), route)
        elif route is not None:
            self.spans.append((self.pos, self.pos + len(raw), text or "", route))
        self.raw.append(raw)
        self.pos += len(raw)


@lru_cache(maxsize=1)
def _collections() -> dict[str, str]:
    """Registry-Ordering (``Adobe-Japan1``) -> the name of its profile, from the names in
    ``rules/cid_profiles/`` (read, not built: a profile is built when a font names it)."""
    return {load_json(f"cid_profiles/{name}.json")["name"].rsplit("-", 1)[0]: name for name in available_profiles()}


def named_profile(cidcoding: str) -> CidProfile | None:
    """The profile of the collection a font's CIDSystemInfo names, or None (Identity, or a
    collection no profile describes)."""
    name = _collections().get(cidcoding)
    return load_profile(name) if name is not None else None


def resolve_profile(profile: str) -> CidProfile | None:
    """The caller's profile: None for ``"auto"``; an unknown name is ``UnknownProfile`` (a
    ``ValueError``) naming the ones there are."""
    if profile == AUTO:
        return None
    if profile not in available_profiles():
        raise UnknownProfile(f"unknown CID profile {profile!r}; known: {AUTO}, {', '.join(available_profiles())}")
    return load_profile(profile)


def _as_code_point(cid: int) -> str:
    """A CID as transcript extractors emit it, its number as the code point; ``(cid:N)``
    where that would be whitespace or a line break (CIDs 9-13 are ``()*+,`` in every Adobe
    collection), or no character."""
    if 0 < cid < 0x110000 and not 0xD800 <= cid < 0xE000 and not chr(cid).isspace():
        return chr(cid)
    return f"(cid:{cid})"


def _route(font, cid: int, profile: CidProfile | None) -> tuple[str, str | None]:
    """(route, text) of one glyph of a CID font; text None where nothing maps it (and for
    ``cid-code-point``: left to the CID steps). ``profile`` None: ``"auto"``."""
    from pdfminer.pdffont import PDFUnicodeNotDefined

    if font.unicode_map is not None and getattr(font, "has_tounicode", False):
        try:
            return "tounicode", font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            return "unmapped-glyph", None
    identity = font.cidcoding in ("Adobe-Identity", "Adobe-UCS")
    no_program = getattr(font, "fontfile", None) is None
    # the profile is the one map of its collection's CIDs: the one the font names, or for an
    # Identity font with no program, CIDs in the order of the collection the caller named
    # (pdfminer's own map of a collection with a profile is not read)
    prof = named_profile(font.cidcoding) or (profile if identity and no_program else None)
    if prof is not None:
        ch = prof.decode_char(chr(cid)) if 0 < cid < 0x110000 else None
        return ("cid-collection", ch) if ch is not None else ("unmapped-glyph", None)
    if identity and no_program:  # "auto": which collection, the CID steps decide over the deck
        return "cid-code-point", None
    if font.unicode_map is not None:
        try:
            return ("font-cmap" if identity else "cid-collection"), font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            pass
    return "unmapped-glyph", None


class PdfError(ValueError):
    """A PDF that cannot be read: malformed, truncated, encrypted with a password."""

    def __init__(self, label: str, reason: str):
        super().__init__(f"{label}: {reason}")
        self.reason = reason


def read_pdf(source: str | Path | bytes, name: str | None = None, profile: str = DEFAULT_PROFILE) -> Deck:
    """The pages of a PDF as slides (see the module docstring). ``profile``: a name of
    ``available_profiles()`` or ``"auto"``; another is ``UnknownProfile`` (a ``ValueError``)."""
    info, pages = open_pdf(source, name, profile)
    deck = Deck(name or _name_of(source), list(pages), format="pdf")
    deck.title, deck.author = info
    return deck


def _name_of(source) -> str:
    return Path(source).name if not isinstance(source, bytes) else "deck.pdf"


def open_pdf(source: str | Path | bytes, name: str | None = None, profile: str = DEFAULT_PROFILE):
    """((title, author), an iterator of the pages as slides, read one at a time): a
    300-page PDF is never held as 300 pages of layout. Raises ``PdfError`` with a reason a
    person can act on (and from the iterator, for a page that cannot be read)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException

    label = name or _name_of(source)
    prof = resolve_profile(profile)  # an unknown name is the caller's error, not the PDF's
    try:
        info, pages = _open(source, name, prof)
    except PDFPasswordIncorrect:
        raise PdfError(label, "encrypted, and a password is needed to read its text") from None
    except PDFEncryptionError as exc:
        raise PdfError(label, f"encrypted in a way that cannot be read ({exc})") from None
    except (PDFException, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise PdfError(label, f"not a readable PDF (malformed or truncated: {type(exc).__name__})") from None

    def guarded():
        try:
            yield from pages
        except (PDFException, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise PdfError(label, f"a page cannot be read (malformed or truncated: {type(exc).__name__})") from None

    return info, guarded()


def _open(source, name, prof: CidProfile | None):
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    name = name or _name_of(source)

    class Resources(PDFResourceManager):
        """Remembers on each font whether its spec carries a ToUnicode map; an embedded
        TrueType program's cmap is read again where pdfminer.six misreads it."""

        def get_font(self, objid, spec):
            font = super().get_font(objid, spec)
            font.has_tounicode = "ToUnicode" in spec
            if not font.has_tounicode and getattr(font, "fontfile", None) is not None and font.unicode_map is not None:
                font.unicode_map = _truetype_unicode_map(font) or font.unicode_map
            return font

    class Device(PDFPageAggregator):
        """Keeps each glyph's CID and font on the character the layout analysis places."""

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            adv = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
            item = self.cur_item._objs[-1]
            item.cid, item.pdf_font = cid, font
            return adv

    parser = PDFParser(io.BytesIO(data))
    doc = PDFDocument(parser)
    info = doc.info[0] if doc.info else {}
    rsrc = Resources()
    device = Device(rsrc, laparams=LAParams())
    interp = PDFPageInterpreter(rsrc, device)
    pages = PDFPage.create_pages(doc)
    return (_info(info.get("Title")), _info(info.get("Author"))), _slides(pages, interp, device, name, prof)


def _truetype_unicode_map(font):
    """The glyph -> character map of a CID font's embedded TrueType program, its format-4
    ``cmap`` read as the spec says: pdfminer.six seeks each segment's ``idRangeOffset`` from
    the start of the array, not from the segment's own entry, so glyphs of segments that need
    glyph id arrays (a subset's glyphs not in code point order) come out wrong. None if the
    program cannot be read (pdfminer.six's map stands)."""
    import struct
    from io import BytesIO

    from pdfminer.pdffont import TrueTypeFont

    class Program(TrueTypeFont):
        def parse_cmap_format_4(self, fp, char2gid):
            fp.read(4)  # length, language
            segcount = struct.unpack(">HHHH", fp.read(8))[0] // 2
            ends = struct.unpack(f">{segcount}H", fp.read(2 * segcount))
            fp.read(2)  # reserved pad
            starts = struct.unpack(f">{segcount}H", fp.read(2 * segcount))
            deltas = struct.unpack(f">{segcount}h", fp.read(2 * segcount))
            pos = fp.tell()
            offsets = struct.unpack(f">{segcount}H", fp.read(2 * segcount))
            for i, (end, start, delta, offset) in enumerate(zip(ends, starts, deltas, offsets)):
                if offset:
                    fp.seek(pos + 2 * i + offset)  # from the segment's own idRangeOffset entry
                    size = end - start + 1
                    for code, gid in zip(range(start, end + 1), struct.unpack(f">{size}H", fp.read(2 * size))):
                        if gid:  # 0: no glyph for the code
                            char2gid[code] = (gid + delta) & 0xFFFF
                else:
                    for code in range(start, end + 1):
                        char2gid[code] = (code + delta) & 0xFFFF

    try:
        return Program(font.basefont, BytesIO(font.fontfile.get_data())).create_unicode_map()
    except (TrueTypeFont.CMapNotFound, struct.error, AssertionError, ValueError, KeyError):
        return None


def _slides(pages, interp, device, name, prof):
    from pdfminer.layout import LTAnno, LTChar, LTContainer
    from pdfminer.pdffont import PDFCIDFont

    for number, page in enumerate(pages, 1):
        interp.process_page(page)
        out = _Page()

        def walk(obj):
            if isinstance(obj, LTChar):
                font = getattr(obj, "pdf_font", None)
                if isinstance(font, PDFCIDFont):
                    route, text = _route(font, obj.cid, prof)
                    if route == "cid-code-point":
                        out.add(_as_code_point(obj.cid))  # no repair: the CID steps take it
                    else:
                        glyph_id = route == "unmapped-glyph" and getattr(font, "fontfile", None) is not None
                        out.add(f"({'gid' if glyph_id else 'cid'}:{obj.cid})", text, route)
                else:
                    out.add(obj.get_text())
            elif isinstance(obj, LTAnno):
                out.add(obj.get_text())
            elif isinstance(obj, LTContainer):
                for child in obj:
                    walk(child)
                if type(obj).__name__ == "LTTextBoxHorizontal" and out.raw and out.raw[-1] != "\n":
                    out.add("\n")

        walk(device.get_result())
        raw = "".join(out.raw).rstrip("\n")  # only trailing breaks go: the spans' offsets stand
        slide = Slide(name, number, raw)
        for start, end, text, route in out.spans:
            if route == "unmapped-glyph":
                slide.quarantine_span(start, end, "unmapped-glyph", step="pdf")
            else:
                slide.repair(start, end, text, rule=route, step="pdf")
        yield slide


def _info(value) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    value = resolve1(value)
    if value is None or isinstance(value, PSLiteral):
        return None
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", "replace")
        return value.decode("latin-1")
    return str(value)
