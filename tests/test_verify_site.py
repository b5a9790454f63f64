"""`journey-audit verify-site`: the check CI runs on a client's site before deploying it.

It must pass on a correct client site (the fixtures' and every example client's: no
false alarm on real text) and fail, naming the file and what leaked, when anything of
another client, an internal note or a draft is planted in it, whatever the file's
kind or encoding.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from journey_audit.site.build import build_site
from journey_audit.cli import main
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.site.verify_site import Haystack, Needle, verify_site
from journey_audit.errors import VerifyError

FIXTURE = Path(__file__).parent / "fixtures" / "publish"
CLIENT = "hotel-supplies"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The fixtures' hotel-supplies site, the other client's, and a full internal build."""
    project = tmp_path_factory.mktemp("verify") / "project"
    shutil.copytree(FIXTURE, project)
    out = {}
    for name, options in (("hotel", {"client": CLIENT}), ("other", {"client": "canary-other"}),
                          ("full", {"include_internal": True, "drafts": True})):
        err = io.StringIO()
        assert build_site(config=project / "mkdocs.yml", site_dir=project / name, err=err, **options) == 0, err
        out[name] = project / name
    out["project"] = project
    return out


@pytest.fixture
def hotel(sites, tmp_path) -> Path:
    """A fresh copy of the client site to plant leaks in."""
    return Path(shutil.copytree(sites["hotel"], tmp_path / "site"))


def verify(site: Path, client: str | None = CLIENT, capsys=None) -> tuple[int, str, str]:
    args = ["verify-site", str(site), "--audits", str(FIXTURE / "audits"), "--docs", str(FIXTURE / "docs")]
    code = main(args + (["--client", client] if client else []))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_a_correct_client_site_passes(sites, capsys):
    for name, client in (("hotel", CLIENT), ("other", "canary-other")):
        code, out, err = verify(sites[name], client, capsys)
        assert (code, out) == (0, ""), out
        assert err.startswith(f"ok: client {client}'s site")


@pytest.mark.slow
def test_a_page_copied_from_a_full_build_is_found_and_named(sites, hotel, capsys):
    page = "audits/canary-other-2026/index.html"
    (hotel / page).parent.mkdir(parents=True)
    shutil.copy(sites["full"] / page, hotel / page)
    code, out, err = verify(hotel, capsys=capsys)
    assert code == 1 and "LEAK" in err
    lines = out.splitlines()
    assert f"{page}: name of another client (client canary-other): \"CANARY-OTHER-CLIENT-7f3a Trading\"" in lines
    assert f"{page}: id of audit 'canary-other-2026' (client canary-other) (in the file's name): " \
           "\"canary-other-2026\"" in lines
    assert any(line.startswith(f"{page}: text of audit 'canary-other-2026'") for line in lines)
    assert {line.split(":")[0] for line in lines} == {page}


@pytest.mark.parametrize("kind", ["search/search_index.json", "sitemap.xml.gz", "404.html"])
@pytest.mark.slow
def test_an_index_of_the_full_site_is_found(sites, hotel, capsys, kind):
    shutil.copy(sites["full"] / kind, hotel / kind)
    code, out, _ = verify(hotel, capsys=capsys)
    assert code == 1
    assert all(line.startswith(f"{kind}: ") for line in out.splitlines()) and out
    if kind == "sitemap.xml.gz":  # only URLs inside, compressed: the ids are found
        assert "id of audit 'canary-other-2026' (client canary-other)" in out


@pytest.mark.slow
def test_internal_notes_and_drafts_are_found_in_a_build_that_included_them(sites, capsys):
    code, out, _ = verify(sites["full"], None, capsys)
    assert code == 1
    assert ("audits/hotel-supplies-2026q3/hotel-supplies-2026q3-touchpoints.csv: internal notes of touchpoint "
            "'website' in audit 'hotel-supplies-2026q3': \"CANARY-INTERNAL-91b2 touchpoint level, the web agency is "
            "being replaced.\"") in out
    assert "index.html: the notice of a build with internal notes or drafts" in out
    assert "audits/hotel-supplies-2026q1/index.html: id of draft audit 'hotel-supplies-2026q1'" in out
    assert "evidence/shared/draft-only.png: evidence that only unpublished audits link to" in out
    assert "another client" not in out  # a site of every client may show every client


def _png_with_text(key: str, text: str) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    itxt = key.encode() + b"\0\x01\0\0\0" + zlib.compress(text.encode("utf-8"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", b"\0" * 13) + chunk(b"iTXt", itxt) + chunk(b"IEND", b"")


LEAKS = [
    # A Chinese title escaped as JSON, split by the search's zero-width spaces.
    ("extra/data.json", json.dumps({"t": "CANARY-OTHER-CLIENT-7f3a\u200b brand\u200baudit"}).encode()),
    # An internal note escaped twice, wrapped over two SVG text lines.
    ("extra/chart.svg", b"<svg><text>The sales director asked us to go easy</text>\n"
                        b"<text>on the fair team.</text></svg>"),
    ("extra/notes.csv", "\ufeffa,b\r\nx,'The sales director asked us to go easy on the fair team.\r\n".encode()),
    ("extra/picture.png", _png_with_text("Title", "CANARY-OTHER-CLIENT-7f3a brand audit")),
    ("extra/old.xml.gz", gzip.compress(b"<loc>https://audits.example.com/clients/canary-other/</loc>", mtime=0)),
    ("extra/page.html", b"<p>Welcome, CANARY&#45;OTHER&#45;CLIENT&#45;7f3a</p>"),  # a page for the other client
]


@pytest.mark.parametrize("name, content", LEAKS, ids=[name for name, _ in LEAKS])
@pytest.mark.slow
def test_a_leak_is_found_in_any_kind_of_file(hotel, capsys, name, content):
    (hotel / name).parent.mkdir(parents=True, exist_ok=True)
    (hotel / name).write_bytes(content)
    code, out, _ = verify(hotel, capsys=capsys)
    assert code == 1 and out.startswith(f"{name}: "), out


@pytest.mark.slow
def test_a_file_only_another_clients_audit_links_to_is_found(hotel, capsys):
    (hotel / "evidence" / "shared" / "other-only.pdf").write_bytes(b"%PDF")
    code, out, _ = verify(hotel, capsys=capsys)
    assert code == 1
    assert out.splitlines() == [
        "evidence/shared/other-only.pdf: evidence file of audit 'canary-other-2026' (client canary-other) "
        "(in the file's name): \"other-only.pdf\"",
        "evidence/shared/other-only.pdf: evidence that only unpublished audits link to: "
        "\"evidence/shared/other-only.pdf\""]


def test_text_the_client_may_see_is_not_a_find():
    """Another client's text that the client's own audit shares, or a label, is not looked for."""
    portfolio = load_portfolio([FIXTURE / "audits"])
    before = verify_site(FIXTURE / "docs", portfolio.audits, CLIENT)  # any folder: only the counts matter here
    assert before.shared == 1  # the draft round's core message is the final round's
    hotel = next(a for a in portfolio.audits if a.client_id == CLIENT and a.status != "draft")
    other = next(a for a in portfolio.audits if a.client_id == "canary-other")
    other.stages[0].name = hotel.core_messages[0].text  # "Quality trusted by five-star hotels"
    other.stages[0].touchpoints[0].name = "Consistency heat map"  # a label of the pages
    after = verify_site(FIXTURE / "docs", portfolio.audits, CLIENT)
    # The core message (six words) is distinctive: another client's copy of it is looked for (test_copied_text).
    assert (after.shared, after.needles) == (before.shared + 2, before.needles - 1)


def test_words_are_matched_whole_and_ids_as_tokens():
    assert not Haystack.of("placement").has(Needle("Acme", "name"))
    assert Haystack.of("<td>ACME</td>").has(Needle("Acme", "name"))
    assert not Haystack.of("clients/acme-tools/").has(Needle("acme", "id", token=True, unless=("acme-tools",)))
    assert Haystack.of("clients/acme/").has(Needle("acme", "id", token=True))
    for where in ("evidence/acme-brochure.pdf", "acme_2026q3", "x.acme.y", "ACME/"):
        assert Haystack.of(where).has(Needle("acme", "id", token=True)), where
    assert not Haystack.of("acmeware acme2").has(Needle("acme", "id", token=True))
    assert Haystack.of("华锦\u200b酒店\u200b用品").has(Needle("华锦酒店用品", "name"))


@pytest.mark.slow
def test_errors_are_messages(sites, capsys, tmp_path):
    code, _, err = verify(sites["hotel"], "nobody", capsys)
    assert code == 2 and "no audit of client 'nobody' was found (clients: canary-other, hotel-supplies)" in err
    code, _, err = verify(tmp_path / "missing", CLIENT, capsys)
    assert code == 2 and "no such folder" in err
    # an empty folder or a file (a typo in a deploy script) is no site that passed
    (tmp_path / "empty").mkdir()
    code, out, err = verify(tmp_path / "empty", CLIENT, capsys)
    assert code == 2 and "an empty folder, not a built site" in err and "ok" not in out
    code, _, err = verify(sites["hotel"] / "index.html", CLIENT, capsys)
    assert code == 2 and "not a folder" in err
    with pytest.raises(VerifyError):
        verify_site(tmp_path / "missing", [], None)


@pytest.mark.slow
def test_every_example_client_site_passes(tmp_path, example_project):
    """No false alarm on the example portfolio's real text, Chinese and English."""
    portfolio = load_portfolio([example_project / "audits"])
    assert not portfolio.errors
    for client in sorted(portfolio.clients()):
        site = tmp_path / client
        err = io.StringIO()
        assert build_site(config=example_project / "mkdocs.yml", site_dir=site, client=client, err=err) == 0, \
            err.getvalue()
        report = verify_site(site, portfolio.audits, client, example_project / "docs")
        assert report.leaks == [], [leak.format() for leak in report.leaks[:5]]
        assert report.needles > 50


@pytest.mark.slow
def test_a_hand_written_page_of_another_client_is_found_by_its_url_and_its_text(sites, hotel, capsys):
    page = "other-welcome/index.html"
    (hotel / page).parent.mkdir()
    shutil.copy(sites["other"] / page, hotel / page)
    code, out, _ = verify(hotel, capsys=capsys)
    assert code == 1
    lines = out.splitlines()
    assert f'{page}: page other-welcome.md (for canary-other) (in the file\'s name): "other-welcome/"' in lines
    assert f'{page}: text of page other-welcome.md (for canary-other): "A page for the other client only."' in lines
