"""Every text a file holds, as anyone with common tools could read it out.

A file's kind is told by its content, never by its name (a PNG renamed ``.txt`` is
still a PNG): gzip (``.gz``, ``.svgz``), zlib streams, zip archives (so ``.docx``,
``.xlsx``, ``.pptx``: their XML members are read, tags dropped so a word split over
runs reads whole), PNG text chunks (tEXt, zTXt, iTXt, wherever they sit in the
file), PDF (its text through poppler's ``pdftotext``, which maps CJK glyphs back to
characters, and its compressed streams), UTF-16 text (a byte-order mark, or the
zero bytes of ASCII in UTF-16), and in any text: JSON strings, JavaScript escapes
(``\\u534e``, ``\\u{534e}``, ``\\x41``), ``data:`` URLs and base64 payloads. What
each of those holds is read the same way, nested up to :data:`MAX_DEPTH` deep.

The work is bounded so a hostile file cannot hang or exhaust the check: at most
:data:`MAX_UNPACKED` bytes decoded per file in all, :data:`MAX_MEMBERS` archive
members, :data:`MAX_PAYLOADS` base64 payloads found in the first :data:`MAX_SCANNED`
characters of text, and ``pdftotext`` stopped after
:data:`PDF_SECONDS`. What was not read to its end is said in :attr:`Budget.cut`.

>>> import gzip, base64
>>> inner = gzip.compress(b'<svg><text>Acme</text></svg>')
>>> page = b'<img src="data:image/svg+xml;base64,' + base64.b64encode(inner) + b'">'
>>> any("Acme" in t for t in texts(page))
True
>>> any("\u534e\u9526" in t for t in texts(b'var s = "\\\\u534e\\\\u9526";'))
True
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

MAX_DEPTH = 5  # a file inside a file inside a file …
MAX_UNPACKED = 32 * 1024 * 1024  # bytes decoded out of one file of the site, all layers together
MAX_MEMBERS = 2000  # archive members read per file of the site
MAX_PAYLOADS = 5000  # base64 payloads and data: URLs decoded per file of the site
MAX_SCANNED = 16 * 1024 * 1024  # characters searched for data: URLs and base64 per file of the site
PDF_SECONDS = 20  # pdftotext's time for one PDF
MIN_BASE64 = 24  # characters: shorter runs are words and hashes, not payloads

_DATA_URL = re.compile(r"data:([\w.+/-]*)((?:;[\w.+-]+(?:=[\w.+-]+)?)*),([A-Za-z0-9+/=%_.~!$&'()*,;:@\s-]*)",
                       re.IGNORECASE)
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{%d,}={0,2}" % MIN_BASE64)  # checked further when decoded (fast on any text)
_JS_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_TAG = re.compile(r"<[^<>]*>")
# In binary data, what `strings` would show: runs of 4 or more printable ASCII or UTF-8 characters.
_RUN = re.compile(rb"(?:[\t\n\r\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}){4,}")


@dataclass
class Budget:
    """What may still be decoded out of one file of the site, and what was cut short."""

    left: int = MAX_UNPACKED
    members: int = MAX_MEMBERS
    payloads: int = MAX_PAYLOADS
    scanned: int = MAX_SCANNED
    cut: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if what not in self.cut:
            self.cut.append(what)


def texts(data: bytes, budget: Budget | None = None) -> list[str]:
    """Every text ``data`` holds, in any of the kinds this module reads (see the module's doc)."""
    budget = budget or Budget()
    out: list[str] = []
    _read(data, 0, budget, out)
    return out


def _read(data: bytes, depth: int, budget: Budget, out: list[str]) -> None:
    if depth > MAX_DEPTH:
        budget.note(f"nested more than {MAX_DEPTH} deep: the innermost layers were not read")
        return
    for unpack in (_gzip, _zlib, _zip, _pdf):
        inner = unpack(data, budget)
        if inner is not None:
            for part in inner:
                if isinstance(part, str):
                    _read_text(part, depth + 1, budget, out)
                else:
                    _read(part, depth + 1, budget, out)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        for text in png_texts(data, budget):
            _read_text(text, depth + 1, budget, out)
    for text in _as_text(data):
        _read_text(text, depth, budget, out)


def _as_text(data: bytes) -> list[str]:
    """``data`` as text: UTF-16 by its byte-order mark; by its zero bytes UTF-16 and UTF-8
    both (binary data can look like UTF-16); else UTF-8."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return [data.decode("utf-16", "replace")]
    sample = data[:4096]
    binary = b"\0" in sample
    utf8 = " ".join(m.group().decode("utf-8", "replace") for m in _RUN.finditer(data)) if binary else (
        data.decode("utf-8", "replace"))
    if len(sample) >= 8:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > len(sample) * 0.3 and even < len(sample) * 0.05:
            return [data.decode("utf-16-le", "replace"), utf8]
        if even > len(sample) * 0.3 and odd < len(sample) * 0.05:
            return [data.decode("utf-16-be", "replace"), utf8]
    return [utf8]


def _read_text(text: str, depth: int, budget: Budget, out: list[str]) -> None:
    """``text`` itself, and what its JSON strings, escapes, data: URLs and base64 payloads say."""
    out.append(text)
    stripped = text.lstrip()
    if stripped[:1] in ("{", "[") and len(text) <= MAX_UNPACKED:
        try:
            out.append("\n".join(_strings(json.loads(text))))
        except (ValueError, RecursionError):
            pass
    if "\\u" in text or "\\x" in text:
        out.append(_js_unescape(text))
    if depth >= MAX_DEPTH:
        return
    for payload in _payloads(text, budget):
        _read(payload, depth + 1, budget, out)


def _payloads(text: str, budget: Budget):
    """The bytes of the data: URLs and base64 runs in ``text``, as far as the budget goes."""
    if len(text) > budget.scanned:
        budget.note(f"more than {MAX_SCANNED // 2**20} M characters of text: only their start was searched "
                    "for data: URLs and base64")
        text = text[:budget.scanned]
    budget.scanned -= len(text)
    spans = []
    has_url = any(spelling in text for spelling in ("data:", "DATA:", "Data:"))
    for m in (_DATA_URL.finditer(text) if has_url else ()):
        if not _spend(budget):
            return
        spans.append(m.span(3))
        body = re.sub(r"\s+", "", m.group(3))
        if ";base64" in m.group(2).lower():
            raw = _b64(body)
            if raw is not None:
                yield raw
        else:
            yield unquote_to_bytes(body)[:budget.left]
    for m in _BASE64.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue  # read above as a data: URL
        if not _spend(budget):
            return
        raw = _b64(m.group())
        if raw is not None and _worth_reading(raw):
            yield raw


def _spend(budget: Budget) -> bool:
    if budget.payloads <= 0:
        budget.note(f"more than {MAX_PAYLOADS} base64 payloads: the rest were not decoded")
        return False
    budget.payloads -= 1
    return True


def _b64(body: str) -> bytes | None:
    body = body.rstrip("=")
    if ("-" in body or "_" in body) and ("+" in body or "/" in body):
        return None  # both alphabets: a path or an id, not a payload
    try:
        if "-" in body or "_" in body:
            return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return base64.b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None


def _worth_reading(raw: bytes) -> bool:
    """Whether decoded base64 is a file kind read here or text, not the noise a hash or a word decodes to."""
    if raw[:2] in (b"\x1f\x8b", b"\xff\xfe", b"\xfe\xff") or raw.startswith((b"PK\x03\x04", b"%PDF-",
                                                                               b"\x89PNG")):
        return True
    if _zlib_header(raw):
        return True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    return printable >= len(text) * 0.9


def _js_unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2) or m.group(3), 16)
        return chr(code) if code <= 0x10FFFF else m.group()
    joined = _JS_ESCAPE.sub(one, text)
    # A pair of \\uD8xx\\uDCxx escapes is one character beyond the BMP.
    return joined.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _strings(value) -> list[str]:
    """The strings of a JSON value, keys included, without recursion (a deep value cannot overflow)."""
    found, todo = [], [value]
    while todo:
        v = todo.pop()
        if isinstance(v, str):
            found.append(v)
        elif isinstance(v, dict):
            found += [k for k in v if isinstance(k, str)]
            todo += v.values()
        elif isinstance(v, list):
            todo += v
    return found


# -- unpacking: each returns the parts inside, or None when the data is not its kind ----

def _inflate(data: bytes, wbits: int, budget: Budget, what: str) -> bytes | None:
    d = zlib.decompressobj(wbits)
    try:
        out = d.decompress(data, budget.left + 1)
    except zlib.error:
        return None
    if len(out) > budget.left or d.unconsumed_tail:
        budget.note(f"{what} unpacks to more than {MAX_UNPACKED // 2**20} MB: only its start was read")
        out = out[:budget.left]
    budget.left -= len(out)
    return out


def _gzip(data: bytes, budget: Budget):
    """Every member of a gzip file (``gzip`` and browsers read them all, one after the other)."""
    if not data.startswith(b"\x1f\x8b"):
        return None
    parts = []
    while data.startswith(b"\x1f\x8b") and budget.left > 0:
        d = zlib.decompressobj(31)
        try:
            out = d.decompress(data, budget.left + 1)
        except zlib.error:
            break
        if len(out) > budget.left or (d.unconsumed_tail and not d.eof):
            budget.note(f"a gzip file unpacks to more than {MAX_UNPACKED // 2**20} MB: only its start was read")
            out = out[:budget.left]
        budget.left -= len(out)
        parts.append(out)
        data = d.unused_data
    if data.startswith(b"\x1f\x8b"):
        budget.note(f"a gzip file unpacks to more than {MAX_UNPACKED // 2**20} MB: only its start was read")
    return parts or None


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and (data[0] << 8 | data[1]) % 31 == 0


def _zlib(data: bytes, budget: Budget):
    if not _zlib_header(data):
        return None
    out = _inflate(data, 15, budget, "a zlib stream")
    return None if out is None else [out]


def _zip(data: bytes, budget: Budget):
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None
    parts: list[bytes | str] = []
    for info in infos:
        if budget.members <= 0 or budget.left <= 0:
            budget.note("a zip archive's members beyond the limits were not read")
            break
        budget.members -= 1
        parts.append(info.filename)
        try:
            with archive.open(info) as f:
                member = f.read(budget.left + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
            continue  # encrypted or broken: nothing a reader gets either
        if len(member) > budget.left:
            budget.note(f"a zip member unpacks to more than {MAX_UNPACKED // 2**20} MB: only its start was read")
            member = member[:budget.left]
        budget.left -= len(member)
        parts.append(member)
        if member.lstrip()[:1] == b"<":  # Office XML: a word split over runs (<w:t>Ac</w:t><w:t>me</w:t>) reads whole
            parts.append(_TAG.sub("", member.decode("utf-8", "replace")))
    return parts


def _pdf(data: bytes, budget: Budget):
    if not data[:1024].lstrip()[:5] == b"%PDF-":
        return None
    parts: list[bytes | str] = []
    text = pdf_text(data, budget)
    if text:
        parts.append(text)
    for m in _STREAM.finditer(data):  # compressed streams: text in literal strings, metadata, scripts
        if budget.left <= 0:
            break
        end = data.find(b"endstream", m.end())
        body = data[m.end():end if end >= 0 else len(data)]
        out = _inflate(body, 15, budget, "a PDF stream") if _zlib_header(body) else None
        if out:
            parts.append(out)
    return parts


def pdf_text(data: bytes, budget: Budget) -> str | None:
    """A PDF's text as poppler's ``pdftotext`` reads it (CJK included), or None without it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        budget.note("pdftotext (poppler-utils) is not installed: PDF text was read from its streams only")
        return None
    fd, path = tempfile.mkstemp(suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        done = subprocess.run([tool, "-q", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=PDF_SECONDS,
                              check=False)
    except subprocess.TimeoutExpired:
        budget.note(f"pdftotext took more than {PDF_SECONDS} s: the PDF was read from its streams only")
        return None
    except OSError:
        return None
    finally:
        os.unlink(path)
    out = done.stdout[:budget.left]
    budget.left -= len(out)
    return out.decode("utf-8", "replace")


def png_texts(data: bytes, budget: Budget | None = None) -> list[str]:
    """The text chunks of a PNG (tEXt, zTXt, iTXt) as ``key: text``, wherever they are, after IEND too.

    >>> chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + b"\\0\\0\\0\\0"
    >>> png_texts(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"tEXt", b"Title\\0Acme") + chunk(b"zTXt", b"C\\0\\0" + zlib.compress(b"Z")))
    ['Title: Acme', 'C: Z']
    """
    budget = budget or Budget()
    out, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        key, _, rest = body.partition(b"\0")
        if kind == b"tEXt":
            out.append(f"{key.decode('latin-1')}: {rest.decode('latin-1')}")
        elif kind == b"zTXt" and rest:
            text = _inflate(rest[1:], 15, budget, "a PNG text chunk")
            if text is not None:
                out.append(f"{key.decode('latin-1')}: {text.decode('latin-1')}")
        elif kind == b"iTXt" and len(rest) >= 2:
            compressed, rest = rest[0], rest[2:]
            _, _, rest = rest.partition(b"\0")  # language tag
            _, _, text = rest.partition(b"\0")  # translated keyword
            text = _inflate(text, 15, budget, "a PNG text chunk") if compressed else text
            if text is not None:
                out.append(f"{key.decode('latin-1')}: {text.decode('utf-8', 'replace')}")
    return out
