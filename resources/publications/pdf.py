"""A tiny PDF writer for generated documents (demo content, tests): real, extractable text in standard fonts.

WeasyPrint would do, but it takes a tenth of a second per document and the demo makes dozens;
this writes A4 pages with Helvetica in a few milliseconds, through pypdf.
"""

import io
import textwrap

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 60
# (font resource, size, line height, characters per line) for each kind of block
STYLES = {
    "title": ("/F2", 17, 22, 50),
    "subtitle": ("/F1", 10, 16, 90),
    "heading": ("/F2", 12.5, 19, 64),
    "paragraph": ("/F1", 10.5, 14.5, 88),
    "item": ("/F1", 10.5, 14.5, 84),
}


def _font(writer, base_font):
    # WinAnsiEncoding covers French (accents, œ, « », ’, –): the text extracts back as written.
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(base_font),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    return writer._add_object(font)


def _escape(text):
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _layout(blocks):
    """Lines (style, x, text) split into pages: a list of pages, each a list of (font, size, x, y, text)."""
    pages, current, y = [], [], PAGE_HEIGHT - MARGIN
    for kind, text in blocks:
        font, size, leading, width = STYLES[kind]
        if kind == "heading":
            y -= 8  # breathing space before a heading
        indent = 14 if kind == "item" else 0
        lines = textwrap.wrap(text, width) or [""]
        for number, line in enumerate(lines):
            if y < MARGIN + leading:
                pages.append(current)
                current, y = [], PAGE_HEIGHT - MARGIN
            prefix = "– " if kind == "item" and number == 0 else ""
            x = MARGIN + (indent if not prefix else 0)
            current.append((font, size, x, y, prefix + line))
            y -= leading
        y -= 6 if kind in ("paragraph", "item") else 2
    pages.append(current)
    return pages


def text_pdf(blocks, *, title="", author=""):
    """PDF bytes for blocks of ("title" | "subtitle" | "heading" | "paragraph" | "item", text)."""
    writer = PdfWriter()
    fonts = DictionaryObject(
        {NameObject("/F1"): _font(writer, "/Helvetica"), NameObject("/F2"): _font(writer, "/Helvetica-Bold")}
    )
    for lines in _layout(blocks):
        page = writer.add_blank_page(PAGE_WIDTH, PAGE_HEIGHT)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        ops = b"".join(
            b"BT %s %.1f Tf %.1f %.1f Td (%s) Tj ET\n" % (font.encode(), size, x, y, _escape(text))
            for font, size, x, y, text in lines
        )
        stream = DecodedStreamObject()
        stream.set_data(ops)
        page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata({"/Title": title, "/Author": author, "/Producer": "Portail CRPV"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
