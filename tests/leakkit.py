"""Ways to hide a text in a file, as a careless copy or a tool might: for verify-site's tests.

Each encoder takes a text and returns the bytes of a file holding it; the name each
is planted under deliberately says nothing of its kind (``.bin``), since verify-site
tells kinds by content.
"""

from __future__ import annotations

import base64
import gzip
import io
import struct
import zipfile
import zlib


def png_with_text(text: str, after_end: bool = False) -> bytes:
    """A PNG with an iTXt chunk holding ``text`` (compressed), before IEND or after it."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    itxt = chunk(b"iTXt", b"Comment\0\x01\0\0\0" + zlib.compress(text.encode("utf-8")))
    head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", b"\0" * 13)
    return head + chunk(b"IEND", b"") + itxt if after_end else head + itxt + chunk(b"IEND", b"")


def docx_with_text(text: str) -> bytes:
    """A Word file whose text is split over two runs (as Word splits words it once marked)."""
    half = len(text) // 2
    xml = (f'<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>{text[:half]}</w:t></w:r>'
           f'<w:r><w:t>{text[half:]}</w:t></w:r></w:p></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return out.getvalue()


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF showing ``text`` (Latin-1) in Helvetica, its content stream compressed."""
    content = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def js_escaped(text: str) -> bytes:
    """JavaScript source with every character of ``text`` as a ``\\uXXXX`` escape (pairs beyond the BMP)."""
    units = text.encode("utf-16-be")
    escaped = "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
    return f'var label = "{escaped}";'.encode()


ENCODERS = {
    "html": lambda t: f"<p>{t}</p>".encode(),
    "gzip": lambda t: gzip.compress(f"<svg><text>{t}</text></svg>".encode(), mtime=0),  # an .svgz
    "zlib": lambda t: zlib.compress(t.encode("utf-8")),
    "docx": docx_with_text,
    "png": png_with_text,
    "png-after-iend": lambda t: png_with_text(t, after_end=True),
    "utf-16-bom": lambda t: t.encode("utf-16"),
    "utf-16le": lambda t: f"text: {t}".encode("utf-16-le"),
    "data-url": lambda t: b'<img src="data:image/svg+xml;base64,' + base64.b64encode(
        f"<svg><text>{t}</text></svg>".encode()) + b'">',
    "data-url-percent": lambda t: ("<a href='data:text/plain," + "".join(f"%{b:02X}" for b in t.encode()) + "'>x</a>"
                                   ).encode(),
    "base64-in-js": lambda t: b'const blob = atob("' + base64.b64encode(f"note: {t}".encode()) + b'");',
    "js-escapes": js_escaped,
    "pdf": lambda t: pdf_with_text(t.encode("utf-8").decode("latin-1")),
    "binary-with-text": lambda t: b"\xff\xd8\xff\xe0\0\x10JFIF\0" + bytes(300) + t.encode() + b"\0\x01" * 300,
    "gzip-in-base64-in-css": lambda t: b"a{background:url(data:application/gzip;base64," + base64.b64encode(
        gzip.compress(t.encode(), mtime=0)) + b")}",
}
