"""The typed input of publishing a notice: the page form and the API payload both hand their
data to `PublishInput.parse`, which names every bad field at once."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from headwater.core.errors import invalid
from headwater.notices.choices import NoticeKind, Requirement

MAX_OPTIONS = 6
MAX_OPTION = 100


def default_statement() -> str:
    return _("I have read this and will comply.")


@dataclass
class PublishInput:
    kind: str
    title: str
    body: str
    requirement: str = Requirement.READ
    statement: str = ""
    question: str = ""
    options: list[str] = field(default_factory=list)
    answer: int | None = None
    unit_ids: list[int] = field(default_factory=list)  # none: the whole organization

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "PublishInput":
        bad: dict[str, str] = {}
        text = {
            name: str(data.get(name) or "").strip()
            for name in ("kind", "title", "body", "requirement", "statement", "question")
        }
        if text["kind"] not in NoticeKind.values:
            bad["kind"] = _("Choose a kind.")
        if not text["title"] or len(text["title"]) > 200:
            bad["title"] = _("Give a title of at most 200 characters.")
        if not text["body"] or len(text["body"]) > 10000:
            bad["body"] = _("Write the notice, at most 10,000 characters.")
        requirement = text["requirement"] or Requirement.READ
        if requirement not in Requirement.values:
            bad["requirement"] = _("Choose what readers do.")
        if len(text["statement"]) > 200:
            bad["statement"] = _("At most 200 characters.")
        options, answer = _quiz(data, text, requirement, bad)
        unit_ids = _ids(data.get("unit_ids"), bad)
        if bad:
            raise invalid(bad)
        statement = text["statement"]
        if requirement == Requirement.ACKNOWLEDGE and not statement:
            statement = default_statement()
        return cls(
            kind=text["kind"],
            title=text["title"],
            body=text["body"].replace("\r\n", "\n"),
            requirement=requirement,
            statement=statement if requirement == Requirement.ACKNOWLEDGE else "",
            question=text["question"] if requirement == Requirement.QUIZ else "",
            options=options,
            answer=answer,
            unit_ids=unit_ids,
        )


def _quiz(data, text, requirement, bad) -> tuple[list[str], int | None]:
    if requirement != Requirement.QUIZ:
        return [], None
    raw = data.get("options") or []
    if isinstance(raw, str):
        raw = raw.splitlines()
    options = [str(o).strip() for o in raw if str(o).strip()] if isinstance(raw, list) else []
    if not text["question"] or len(text["question"]) > 300:
        bad["question"] = _("Ask a question of at most 300 characters.")
    if not 2 <= len(options) <= MAX_OPTIONS or any(len(o) > MAX_OPTION for o in options):
        bad["options"] = _("Give 2 to 6 options, one a line, each at most 100 characters.")
    answer = data.get("answer")
    try:
        answer = int(answer)
    except (TypeError, ValueError):
        answer = None
    if (
        answer is None
        or not 0 <= answer < max(len(options), 1)
        or isinstance(data.get("answer"), bool)
    ):
        bad["answer"] = _("Choose the correct option.")
    return options, answer


def _ids(raw, bad) -> list[int]:
    if raw in (None, "", []):
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    try:
        ids = sorted({int(i) for i in items})
    except (TypeError, ValueError):
        bad["unit_ids"] = _("Unknown unit.")
        return []
    if any(not 0 < i < 2**31 for i in ids):
        bad["unit_ids"] = _("Unknown unit.")
    return ids
