"""The briefing document (docs of /work/briefing-doc.md's contract): one plain dict per
language, built from the resolved sections; every format renders it and nothing else."""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.briefing import summary
from headwater.core import tiles
from headwater.core.choices import ResponseLevel

MONTHS = (
    "January February March April May June July August September October November December"
).split()
# Parts that differ between two generations of the same content: not compared.
VOLATILE = ("issued_at", "version", "changes", "link")


def language() -> str:
    """The document language for the active language: English for English, else Chinese."""
    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


def day_text(day: dt.date, language: str) -> str:
    if language == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def build(
    organization,
    day: dt.date,
    sections: list[tiles.BriefingSection],
    language: str,
    *,
    number: int,
    version: int,
    issued_at: dt.datetime,
    issuer: str,
) -> dict:
    """The document of one language (its `changes` and `link` are filled in later)."""
    resolved = [tiles.resolve(s, language) for s in sections]
    with translation.override(language):
        return {
            "language": language,
            "organization": organization.name,
            "title": _("%(organization)s — Daily epidemic-prevention briefing")
            % {"organization": organization.name},
            "number": _("No. %(number)s of %(year)s") % {"number": number, "year": day.year},
            "day": day.isoformat(),
            "day_text": day_text(day, language),
            "issued_at": f"{timezone.localtime(issued_at):%Y-%m-%d %H:%M}",
            "issuer": issuer,
            "version": version,
            "level": str(ResponseLevel(organization.response_level).label),
            "quiet": summary.is_quiet(resolved),
            "key_points": summary.key_points(resolved),
            "changes": [],
            "link": "",
            "sections": resolved,
        }


def substance(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in VOLATILE}


def same(old: dict, new: dict) -> bool:
    """Whether two contents ({language: doc}) say the same thing."""
    return old.keys() == new.keys() and all(
        substance(old[lang]) == substance(new[lang]) for lang in new
    )


def changes(old: dict, new: dict, language: str) -> list[str]:
    with translation.override(language):
        return summary.changes(old, new)


def absolute(path: str) -> str:
    return settings.HEADWATER_BASE_URL.rstrip("/") + path


def json_ready(content: dict) -> dict:
    """Numbers, text and lists only: what a section put in a table cell (a Decimal, a date)
    as the JSON column will give it back."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))
