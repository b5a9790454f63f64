"""A synthetic portfolio for the benchmark: N audits × M touchpoints, zh and en.

Clients get several rounds linked by ``previous``, so the portfolio looks like a real
consultancy's repository grown over the years. Deterministic for a given N and M.
"""

from __future__ import annotations

import random
from pathlib import Path

STAGES_ZH = [("search", "寻找信息"), ("compare", "比较供应商"), ("decide", "决策与购买"), ("experience", "体验"),
             ("reorder", "再定购")]
STAGES_EN = [("awareness", "Awareness"), ("consider", "Consideration"), ("purchase", "Purchase"),
             ("use", "Use and service"), ("loyalty", "Loyalty")]
NAMES_ZH = ["网络推广", "口碑", "展会", "行业杂志", "业务人员上门接洽", "产品展示", "宣传资料", "关系营销", "售后服务",
            "客户维护", "客服热线", "微信服务群", "样品寄送", "报价单", "合同签订", "安装培训", "满意度回访", "补货提醒"]
NAMES_EN = ["Search ads", "Word of mouth", "Trade show", "Industry magazine", "Sales visit", "Showroom", "Brochure",
            "Website", "Pre-sale chat", "Checkout", "Delivery notice", "Care message", "Service hotline",
            "Review invitation", "Member day", "Win-back offer", "Installation", "Quarterly review"]
CHANNELS = ["online", "print", "event", "person", "phone", "email", "sms", "social", "store", "service"]
ROUNDS = ["2023h1", "2023h2", "2024h1", "2024h2", "2025h1", "2025h2", "2026h1", "2026h2"]


def audit_text(rng: random.Random, client: int, round_no: int, n_tp: int, zh: bool) -> str:
    stages = STAGES_ZH if zh else STAGES_EN
    names = NAMES_ZH if zh else NAMES_EN
    slug = f"client{client:04d}-{ROUNDS[round_no % len(ROUNDS)]}-r{round_no}"
    lines = [
        "# yaml-language-server: $schema=../../schema/audit.schema.json",
        f"title: {'接触点审计' if zh else 'Touchpoint audit'} {client} round {round_no + 1}",
        f"client: {'客户' if zh else 'Client'} {client}",
        f"client_id: client{client:04d}",
        f"date: {2023 + round_no // 2}-{'03' if round_no % 2 == 0 else '09'}-15",
        "auditors: [Bench Auditor]",
        f"language: {'zh' if zh else 'en'}",
        f"involvement: {'high' if client % 2 else 'low'}",
    ]
    if round_no:
        lines.append(f"previous: client{client:04d}-{ROUNDS[(round_no - 1) % len(ROUNDS)]}-r{round_no - 1}")
    lines += [
        "summary: |",
        f"  {'本轮审计覆盖全部接触点。' if zh else 'This round covers every touchpoint.'}",
        "core_messages:",
        "  - id: quality",
        f"    text: {'五星级酒店认可的品质' if zh else 'Quality trusted by five-star hotels'}",
        "  - id: service",
        f"    text: {'24小时响应的售后服务' if zh else 'Service that answers within 24 hours'}",
        "  - id: design",
        f"    text: {'定制化设计' if zh else 'Designs made to measure'}",
        "stages:",
    ]
    per_stage = [n_tp // len(stages) + (1 if i < n_tp % len(stages) else 0) for i in range(len(stages))]
    prospects = 2000
    k = 0
    for (sid, sname), count in zip(stages, per_stage):
        if count == 0:
            continue
        lines += [f"  - id: {sid}", f"    name: {sname}", f"    prospects: {prospects}", "    touchpoints:"]
        prospects = int(prospects * rng.uniform(0.3, 0.8))
        for _ in range(count):
            k += 1
            score = rng.randint(1, 5)
            lines += [
                f"      - id: tp-{k}",
                f"        name: {names[k % len(names)]} {k}",
                f"        channel: {CHANNELS[k % len(CHANNELS)]}",
                f"        owner: {'市场部' if zh else 'Marketing'}",
                f"        moment_of_truth: {'true' if k % 7 == 0 else 'false'}",
                f"        importance: {rng.randint(2, 5)}",
                "        message:",
                f"          intended: {'展示五星级酒店案例和完整产品目录' if zh else 'Hotel case studies and the full catalogue'}",
                f"          method: {'搜索广告引导至案例落地页' if zh else 'Search ads leading to a case-study page'}",
                f"          observed: {'首页只有公司简介' if zh else 'The home page shows only a company profile'}",
                f"          score: {score}",
                "        consistency:",
                f"          quality: {rng.randint(1, 5)}",
                f"          service: {rng.choice(['~', rng.randint(1, 5)])}",
                f"          design: {rng.randint(1, 5)}",
            ]
            if score <= 2 or k % 3 == 0:
                lines += [
                    "        recommendations:",
                    f"          - text: {'在首页加入五星级酒店案例' if zh else 'Add hotel case studies to the home page'}",
                    "            priority: high",
                    "            effort: low",
                    "            due: 2026-12-31",
                ]
    return slug, "\n".join(lines) + "\n"


def write_portfolio(root: Path, n_audits: int, n_touchpoints: int, rounds: int = 4, seed: int = 1) -> list[Path]:
    """Write ``n_audits`` audits under ``root/audits``; returns their paths."""
    rng = random.Random(seed)
    paths = []
    client = 0
    while len(paths) < n_audits:
        zh = client % 2 == 0
        for r in range(min(rounds, n_audits - len(paths))):
            slug, text = audit_text(rng, client, r, n_touchpoints, zh)
            path = root / "audits" / f"client{client:04d}" / f"{slug}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        client += 1
    return paths


def edit_audit(path: Path, marker: str) -> None:
    """Save ``path`` with ``marker`` prepended to its first touchpoint's name.

    The name shows on the audit page, in the search index and in the journey
    diagram, so one edit changes exactly one diagram and one page's text.
    """
    text = path.read_text(encoding="utf-8")
    anchor = "\n      - id: tp-1\n        name: "
    if anchor not in text:
        raise ValueError(f"{path}: no first touchpoint to edit")
    path.write_text(text.replace(anchor, f"{anchor}{marker} ", 1), encoding="utf-8")
