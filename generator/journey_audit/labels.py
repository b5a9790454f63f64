"""Words of the generated pages and diagrams in Chinese and English.

>>> label("overall", "zh"), label("overall", "en")
('总分', 'Overall')
>>> label("overall", None)
'Overall'
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"

LABELS: dict[str, dict[str, str]] = {
    "overall": {"en": "Overall", "zh": "总分"},
    "message": {"en": "Message", "zh": "信息"},
    "consistency": {"en": "Consistency", "zh": "一致性"},
    "score": {"en": "Score", "zh": "得分"},
    "gap": {"en": "Gap", "zh": "差距"},
    "importance": {"en": "Importance", "zh": "重要性"},
    "stage": {"en": "Stage", "zh": "阶段"},
    "stages": {"en": "Stages", "zh": "阶段"},
    "touchpoint": {"en": "Touchpoint", "zh": "接触点"},
    "touchpoints": {"en": "Touchpoints", "zh": "接触点"},
    "prospects": {"en": "Prospects", "zh": "潜在客户"},
    "conversion": {"en": "Conversion", "zh": "转化率"},
    "funnel": {"en": "Funnel", "zh": "漏斗"},
    "leakiest": {"en": "Loses most", "zh": "流失最多"},
    "moment_of_truth": {"en": "Moment of truth", "zh": "关键时刻"},
    "core_message": {"en": "Core message", "zh": "核心信息"},
    "coverage": {"en": "Coverage", "zh": "覆盖率"},
    "spread": {"en": "Spread", "zh": "离散度"},
    "legend": {"en": "Legend", "zh": "图例"},
    "not_applicable": {"en": "does not apply", "zh": "不适用"},
    "intended": {"en": "Intended message", "zh": "应传递的信息"},
    "method": {"en": "Method", "zh": "方式"},
    "observed": {"en": "Observed", "zh": "实际观察"},
    "channel": {"en": "Channel", "zh": "渠道"},
    "owner": {"en": "Owner", "zh": "负责人"},
}


def label(key: str, language: str | None) -> str:
    entry = LABELS[key]
    return entry.get(language or DEFAULT_LANGUAGE) or entry[DEFAULT_LANGUAGE]
