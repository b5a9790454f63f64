"""verify-site reads what a reader can read out of a file, told by its content, within bounds.

A text hidden in any kind of file (compressed, zipped, in a PNG chunk, a PDF, UTF-16,
a data: URL, base64, JavaScript escapes; nested) is found whatever the file is named;
a hostile file (a decompression bomb, deep nesting, a flood of payloads) is read only
up to the limits, quickly, and the check says what it did not read.
"""

from __future__ import annotations

import base64
import gzip
import io
import time
import zipfile
import zlib

import pytest

from leakkit import ENCODERS, pdf_with_text
from journey_audit.site.leaks import decode
from journey_audit.site.leaks.decode import Budget, texts
from journey_audit.site.textsearch import Haystack, Needle

SECRET = "Rivalco Kitchenware 华锦 😀 confidential"


def found(data: bytes, text: str = SECRET) -> bool:
    return Haystack.of(*texts(data)).has(Needle(text, "x"))


@pytest.mark.parametrize("kind", sorted(ENCODERS))
def test_a_text_is_found_in_every_kind_of_file(kind):
    text = SECRET if kind != "pdf" else "Rivalco Kitchenware confidential"  # a hand-made PDF holds Latin-1
    assert found(ENCODERS[kind](text), text)


def test_kinds_nest_and_no_kind_hides_another():
    inner = ENCODERS["docx"](SECRET)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("deck/embedded.bin", inner)
    payload = b"<script>const x = '" + base64.b64encode(zlib.compress(outer.getvalue())) + b"';</script>"
    assert found(payload)
    assert not found(ENCODERS["gzip"]("Another text altogether"))


@pytest.mark.slow
def test_a_pdf_made_by_the_report_command_is_read_chinese_included(tmp_path):
    from journey_audit.cli import main

    audit = tmp_path / "a.yaml"
    audit.write_text(_CHINESE_AUDIT, encoding="utf-8")
    assert main(["report", str(audit), "--out", str(tmp_path / "a.pdf"), "--no-cache"]) == 0
    data = (tmp_path / "a.pdf").read_bytes()
    assert found(data, "华锦酒店用品有限公司") and found(data, "五星级酒店认可的品质")


_CHINESE_AUDIT = """\
title: 接触点审计 2026
client: 华锦酒店用品有限公司
client_id: huajin
date: 2026-09-30
language: zh
involvement: high
core_messages:
  - id: quality
    text: 五星级酒店认可的品质
stages:
  - id: search
    name: 信息搜索
    touchpoints:
      - id: website
        name: 公司网站
        channel: online
        message: {intended: 酒店案例与完整目录, score: 2}
        consistency: {quality: 2}
"""


# -- bounds --------------------------------------------------------------------------------

def test_every_member_of_a_gzip_file_is_read():
    assert found(gzip.compress(b"nothing here", mtime=0) + gzip.compress(SECRET.encode(), mtime=0))


def test_a_decompression_bomb_is_read_up_to_the_limit_quickly():
    bomb = gzip.compress(bytes(4 * 2**20), 9, mtime=0) * 100  # 400 MB of zeros in 400 KB, 100 gzip members
    budget = Budget()
    start = time.monotonic()
    out = texts(bomb, budget)
    assert time.monotonic() - start < 60  # about 2 s alone: the bound says "no hang" on a loaded machine
    assert sum(len(t) for t in out) < 8 * decode.MAX_UNPACKED
    assert any("only its start was read" in cut for cut in budget.cut)


def test_deep_nesting_and_floods_stop_at_their_limits():
    data = SECRET.encode()
    for _ in range(decode.MAX_DEPTH + 3):
        data = zlib.compress(data)
    budget = Budget()
    texts(data, budget)
    assert any("nested more than" in cut for cut in budget.cut)

    flood = b" ".join(base64.b64encode(b"hello there, a payload %05d!" % i) for i in range(decode.MAX_PAYLOADS + 10))
    budget = Budget()
    start = time.monotonic()
    texts(flood, budget)
    assert time.monotonic() - start < 10 and any("base64 payloads" in cut for cut in budget.cut)

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(60):
            z.writestr(f"m{i}.txt", "x")
    budget = Budget(members=50)
    texts(many.getvalue(), budget)
    assert any("members" in cut for cut in budget.cut)


@pytest.mark.parametrize("data", [
    b"[" * 200_000 + b"]" * 200_000,  # JSON nested deeper than Python recurses
    b"PK\x03\x04" + b"\0" * 100,  # a broken zip
    b"\x1f\x8b\x08\0garbage",  # a broken gzip
    b"%PDF-1.4\nstream\n\x78\x9cnot deflate\nendstream",  # a broken PDF stream
    b"\x89PNG\r\n\x1a\n\xff\xff\xff\xfftEXt",  # a chunk longer than the file
    pdf_with_text("x")[:40],  # a PDF cut short
])
def test_broken_files_are_read_as_far_as_they_go_without_error(data):
    assert texts(data)  # at least the bytes as text
