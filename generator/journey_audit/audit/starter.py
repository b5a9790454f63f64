"""A commented starter audit for ``journey-audit new``.

The starter validates as written, so a consultant can build the site at once and
replace the examples step by step; and it is already in the canonical form of
``journey-audit fmt``, so ``fmt --check`` passes on a fresh audit.

>>> from .validate import validate_text
>>> audit, problems = validate_text(starter_text("acme-2026q4", "ACME Tools", "2026-11-24"), slug="acme-2026q4")
>>> audit.client_id, [p.message for p in problems]
('acme-tools', [])
>>> from .fmt import format_text
>>> clients = ["ACME", 'ACME "Tools": Inc', "华锦酒店用品", "no", "2026", "Consolidated Hotel Supplies International"]
>>> texts = [starter_text("acme-2026q4", c, "2026-11-24") for c in clients]
>>> [format_text(t) == t and validate_text(t)[1] == [] for t in texts]
[True, True, True, True, True, True]
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..errors import JourneyAuditError
from .fmt import double_quoted, plain_ok
from .rules.ids import SITE_SEGMENTS, THEME_WORDS
from .validate import slugify


class StarterRefused(JourneyAuditError):
    """``new`` would write an audit that does not validate: nothing is written; the message says what to do."""


# Wording that depends on the audit's language (zh for a Chinese client name); the
# examples below stay in English either way, to be replaced by the consultant.
_WORDING = {
    "en": {"title": "Touchpoint audit: {client}",
           "summary": "One or two paragraphs for the client: what the audit found and what matters most."},
    "zh": {"title": "接触点审计：{client}",
           "summary": "写给客户的一两段话：审计发现了什么，最重要的是什么。"},
}


# The template's example values in Chinese, for a zh starter (only lines without a comment,
# so that fmt's comment columns stay as they are).
_ZH_EXAMPLES = {
    "A-class key accounts": "A类大客户", "Hotel groups with five or more hotels": "拥有五家以上酒店的酒店集团",
    "C-class single hotels": "C类单体酒店", "Quality approved by five-star hotels": "五星级酒店认可的品质",
    "Service that answers within 24 hours": "24 小时内答复的服务", "Search for information": "搜索信息",
    "Company website": "公司网站", "Marketing": "市场部",
    "Catalogue and references that prove the quality": "证明品质的产品目录和客户案例",
    "Case studies on the home page": "首页上的客户案例", "The home page shows only a company profile": "首页只有公司简介",
    "First reply to a web enquiry": "网站询盘的首次回复", "CRM export": "CRM 导出",
    "Put three hotel case studies on the home page": "在首页放三个酒店案例", "Decide and buy": "决策与购买",
    "Sales visit": "销售拜访", "A partner who understands the hotel's standards": "懂酒店标准的合作伙伴",
}


def _in_chinese(text: str) -> str:
    for en, zh in _ZH_EXAMPLES.items():
        text = text.replace(f": {en}\n", f": {zh}\n")
    return text


def language_of(client: str) -> str:
    """``zh`` when the client's name has Chinese characters, else ``en``.

    >>> language_of("星河办公家具"), language_of("ACME Tools")
    ('zh', 'en')
    """
    return "zh" if any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in client) else "en"


def _reserved(client_id: str) -> bool:
    return client_id in SITE_SEGMENTS or any(client_id in words for words in THEME_WORDS.values())


def client_id_for(slug: str, client: str) -> str:
    """The ``client_id`` the starter writes: made from the client's name (else the audit id's
    first part), with ``-client`` added when that is one of the site's reserved words.

    >>> client_id_for("search-2026", "Search"), client_id_for("xinghe-2026q4", "星河办公家具")
    ('search-client', 'xinghe')
    """
    client_id = slugify(client) or slug.split("-")[0]
    return f"{client_id}-client" if _reserved(client_id) else client_id

_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A touchpoint audit (接触点审计). The format: FORMAT.md in the journey-audit repository.
# Check it with `journey-audit validate {path}`.
title: {title}
client: {client}
client_id: {client_id} # groups this client's audits
date: {date}                   # date of the audit, YYYY-MM-DD
auditors: []
language: {language}                       # zh | en: labels of the generated pages
involvement: high                  # high | low: 涉入度 of the product
status: draft                      # draft | final
summary: |
  {summary}

segments:                          # optional: customer tiers (客户分级) or personas (客户画像)
  - id: key-accounts
    name: A-class key accounts
    share: 0.2                     # fraction of the prospects; the shares add up to <= 1
    involvement: high              # high | low; default: the audit's involvement
    description: Hotel groups with five or more hotels
  - id: single-hotels
    name: C-class single hotels
    share: 0.8
    involvement: low

core_messages:                     # the brand's core messages; every touchpoint scores each
  - id: quality
    text: Quality approved by five-star hotels
  - id: service
    text: Service that answers within 24 hours

stages:                            # in the customer's order; prospects feed the funnel
  - id: search
    name: Search for information
    prospects: 1000
    prospects_by_segment:          # optional: prospects per segment id (a funnel per segment)
      key-accounts: 200
      single-hotels: 800
    touchpoints:
      - id: website
        name: Company website
        channel: online            # online | print | event | person | phone | email | sms |
                                   # social | store | product | service | word-of-mouth | other
        owner: Marketing
        moment_of_truth: false
        importance: 4              # 1..5, default 5
        direction: inbound         # inbound: the customer starts the contact | outbound: the company does
        trigger: customer          # scheduled | event (an order, a complaint…) | customer
        message:
          intended: Catalogue and references that prove the quality
          method: Case studies on the home page
          observed: The home page shows only a company profile
          score: 2                 # 1 Harmful, 2 Weak, 3 Adequate, 4 Good, 5 Excellent
          appeal: rational         # rational | emotional | both: rational suits high involvement
        consistency:               # one entry per core message; ~ where it does not apply
          quality: 2
          service: ~
        metrics:                   # measured customer results (optional)
          - id: first-reply        # matched with the previous round by id
            name: First reply to a web enquiry
            value: 20              # this round's measurement
            unit: h
            target: 6
            better: lower          # higher | lower: required with a target
            source: CRM export
        # With several auditors, each one's own scores before you agreed (list them in `auditors`):
        # ratings:
        #   - auditor: Wang Min
        #     message: 2
        #     consistency: {{quality: 2, service: ~}}
        recommendations:
          - id: home-cases         # optional: the next round finds it by this id
            text: Put three hotel case studies on the home page
            priority: high         # high | medium | low
            effort: low
            status: open           # open | in-progress | done | dropped (done_on: with done)
  - id: decide
    name: Decide and buy
    prospects: 120
    prospects_by_segment:
      key-accounts: 60
      single-hotels: 60
    touchpoints:
      - id: sales-visit
        name: Sales visit
        channel: person
        moment_of_truth: true
        segments: [key-accounts]   # the segments that meet it; default: every segment
        direction: outbound
        message:
          intended: A partner who understands the hotel's standards
          score: 3
        consistency:
          quality: 3
          service: 4
"""


def _yaml_text(value: str) -> str:
    """``value`` as ``journey-audit fmt`` writes it: plain when that reads back the same
    everywhere, else double-quoted (which holds any text).

    >>> _yaml_text("ACME"), _yaml_text("华锦酒店用品"), _yaml_text("Audit: ACME"), _yaml_text("no")
    ('ACME', '华锦酒店用品', '"Audit: ACME"', '"no"')
    """
    return value if plain_ok(value) else double_quoted(value)


def example_starters() -> tuple[str, ...]:
    """The template as ``new`` writes it for an English and for a Chinese client name: its
    example wording in both languages, which no client owns (the copy and leak checks skip it)."""
    return tuple(starter_text("example-2000", client) for client in ("Example", "示例"))


def starter_text(slug: str, client: str, date: str | None = None, title: str | None = None,
                 schema: str = "schema/audit.schema.json", path: str | None = None) -> str:
    client_id = client_id_for(slug, client)
    language = language_of(client)
    words = _WORDING[language]
    text = _TEMPLATE if language == "en" else _in_chinese(_TEMPLATE)
    return text.format(
        schema=schema, path=path or f"{slug}.yaml", title=_yaml_text(title or words["title"].format(client=client)),
        client=_yaml_text(client), date=date or dt.date.today().isoformat(), language=language,
        summary=words["summary"],
        # padded so that its comment lines up with the others, at least two spaces after it (as fmt writes it)
        client_id=_yaml_text(client_id).ljust(22) + " ")


def write_starter(slug: str, client: str, audits_dir: Path, schema_file: Path | None = None,
                  title: str | None = None) -> Path:
    """Write ``audits_dir/<client_id>/<slug>.yaml``. Refuses to overwrite (FileExistsError), and
    raises :class:`StarterRefused`, writing nothing, when another file already has the audit
    id ``slug`` or the starter would not validate."""
    from .validate import validate_text

    client_id = client_id_for(slug, client)
    target = audits_dir / client_id / f"{slug}.yaml"
    if target.exists():
        raise FileExistsError(target)
    taken = audit_file_with_id(audits_dir, slug)
    if taken is not None:
        raise StarterRefused(f"audit id '{slug}' is already used by {taken} (the file name is the audit's id and "
                             f"page address, unique in audits/); choose another id, e.g. {slug}-{client_id}")
    schema_file = schema_file or Path("schema/audit.schema.json")
    schema_ref = os.path.relpath(schema_file, target.parent) if not str(schema_file).startswith("http") else str(schema_file)
    text = starter_text(slug, client, title=title, schema=schema_ref.replace(os.sep, "/"),
                        path=os.path.relpath(target).replace(os.sep, "/"))
    _, problems = validate_text(text, str(target), slug)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise StarterRefused("the starter would not validate, so nothing was written: "
                             + "; ".join(p.message for p in errors))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:
        f.write(text)
    return target


def audit_file_with_id(audits_dir: Path, slug: str) -> Path | None:
    """A file under ``audits_dir`` whose name is the audit id ``slug`` (.yaml or .yml), if any:
    ``new`` refuses that id (the rule unique-slug would)."""
    if not audits_dir.is_dir():
        return None
    return next((p for p in sorted(audits_dir.rglob(f"{slug}.y*ml"))
                 if p.suffix in (".yaml", ".yml") and not any(part.startswith(".") for part in p.parts)), None)
