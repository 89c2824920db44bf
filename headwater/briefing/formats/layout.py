"""What every format shows the same way: the words around the document's own text (in the
document's language), section numbers, each figure's change against the day before.

`prepare(doc)` returns the document as the formats lay it out; call it inside
`translation.override(doc["language"])` (as `render` does).
"""

import re
import unicodedata

from django.utils.translation import pgettext

ZH_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (section numbers)."""
    if n < 10:
        return ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else ZH_DIGITS[tens]
    return head + "十" + (ZH_DIGITS[ones] if ones else "")


def section_number(index: int, language: str) -> str:
    """The numbering of the index-th section (from 1): 一、 in Chinese, 1. in English."""
    if language.startswith("zh"):
        return f"{chinese_number(index)}、"
    return f"{index}. "


def words() -> dict[str, str]:
    """The fixed words of the layout, in the active language."""
    return {
        "key_points": pgettext("briefing", "Key points of the day"),
        "changes": pgettext("briefing", "Changes since the previous version"),
        "figures": pgettext("briefing", "Key figures"),
        "indicator": pgettext("briefing", "Indicator"),
        "value": pgettext("briefing", "On the day"),
        "previous": pgettext("briefing", "Day before"),
        "change": pgettext("briefing", "Change"),
        "trend": pgettext("briefing", "Last 7 days"),
        "unit": pgettext("briefing", "Unit"),
        "section": pgettext("briefing", "Section"),
        "zero_report": pgettext("briefing", "Zero report"),
        "issuer": pgettext("briefing", "Issued by"),
        "issued_at": pgettext("briefing", "Issued at"),
        "day": pgettext("briefing", "Day reported"),
        "level": pgettext("briefing", "Response level"),
        "version": pgettext("briefing", "Version"),
        "version_n": pgettext("briefing", "version %(n)s"),
        "link": pgettext("briefing", "Online"),
        "summary": pgettext("briefing", "Summary"),
        "flags": pgettext("briefing", "Exceptions"),
        "details": pgettext("briefing", "Details"),
        "kind": pgettext("briefing", "Kind"),
        "page": pgettext("briefing", "Page %(page)s of %(pages)s"),
        "no_change": pgettext("briefing", "no change"),
        "points": pgettext("briefing", "pp"),  # percentage points
    }


def flag_labels() -> dict[str, str]:
    return {
        "overdue": pgettext("briefing", "Overdue"),
        "abnormal": pgettext("briefing", "Abnormal"),
        "decision": pgettext("briefing", "Decision needed"),
    }


def decimals_of(text: str) -> int:
    """The decimals a figure is shown with: "97.0" → 1, "1,234" → 0."""
    if not text or "." not in text:
        return 0
    return len(text.rsplit(".", 1)[1])


def with_unit(text: str, unit: str) -> str:
    """97.0 and % → 97.0%; 12 and 人 → 12人; 12 and people → 12 people; no value: —."""
    if not unit or text in ("", "—"):
        return text or "—"
    space = " " if unit[:1].isascii() and unit[:1].isalpha() else ""
    return f"{text}{space}{unit}"


def change(figure: dict, w: dict) -> tuple[str, str]:
    """(the change from the day before as text, its tone: good, bad or flat). A change of a
    rate in % is in percentage points."""
    value, previous = figure.get("value"), figure.get("previous")
    if value is None or previous is None:
        return "—", "flat"
    delta = value - previous
    decimals = decimals_of(figure.get("text", ""))
    if round(delta, decimals) == 0:
        return w["no_change"], "flat"
    number = f"{abs(delta):,.{decimals}f}"
    unit = figure.get("unit") or ""
    text = ("▲" if delta > 0 else "▼") + with_unit(number, w["points"] if unit == "%" else unit)
    better = figure.get("better")
    if better not in ("up", "down"):
        return text, "flat"
    return text, "good" if (delta > 0) == (better == "up") else "bad"


def number_line(doc: dict, w: dict) -> str:
    """The issue number, with the version after the first: 2026年第338期（第2版）."""
    line = doc.get("number", "")
    if (doc.get("version") or 1) > 1:
        version = w["version_n"] % {"n": doc["version"]}
        zh = (doc.get("language") or "zh-hans").startswith("zh")
        line += f"（{version}）" if zh else f" ({version})"
    return line


def prepare(doc: dict) -> dict:
    """The document with what the formats add: words, numbered sections, each figure's
    value with its unit and its change, flags with their labels."""
    w = words()
    labels = flag_labels()
    language = doc.get("language", "zh-hans")
    zh = language.startswith("zh")
    sections = []
    for i, section in enumerate(doc.get("sections", []), start=1):
        figures = []
        for f in section.get("figures", []):
            text, tone = change(f, w)
            figures.append(
                {
                    **f,
                    "shown": with_unit(f.get("text", ""), f.get("unit", "")),
                    "previous_shown": with_unit(f.get("previous_text", ""), f.get("unit", "")),
                    "change": text,
                    "tone": tone,
                }
            )
        flags = []
        for flag in section.get("flags", []):
            label = labels.get(flag.get("kind"), flag.get("kind", ""))
            tag = f"【{label}】" if zh else f"[{label}]"
            flags.append({**flag, "label": label, "tag": tag})
        sections.append(
            {
                **section,
                "number": section_number(i, language),
                "heading": section_number(i, language) + section.get("title", ""),
                "figures": figures,
                "flags": flags,
                "tables": [dict(t) for t in section.get("tables", [])],
            }
        )
    return {
        **doc,
        "words": w,
        "sections": sections,
        "number_line": number_line(doc, w),
        "colon": "：" if zh else ": ",
    }


def cell_text(value) -> str:
    """A table cell as text (None: empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format(value, ",")  # 12,345 and 0.005 as they are: no rounding of a reading
    return str(value)


def text_width(value) -> int:
    """Columns a text needs in a fixed-width view: a wide (CJK) character counts two."""
    if value is None:
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


# Characters XML 1.0 cannot hold (control characters pasted into an entry): Word, Excel and
# the PDF's HTML parser would each fail on them in their own way.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value):
    """The document with every string rid of characters XML cannot hold (a new copy)."""
    if isinstance(value, str):
        return ILLEGAL_XML.sub("", value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value
