"""The typed input of a supervision call: the page form and the API schema hand their data to
`CallInput.parse`; every checklist question needs a yes or a no."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from headwater.core.errors import invalid
from headwater.isolation.models_supervision import Finding

NOTE, CALL_NOTE = 200, 300
YES = ("yes", "true", "1", "on", True)
NO = ("no", "false", "0", False)


@dataclass
class CallInput:
    """The checklist's answers ({finding: yes/no}), a note per answer and one for the call."""

    answers: dict[str, bool]
    notes: dict[str, str]
    note: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "CallInput":
        errors: dict[str, str] = {}
        answers, notes = {}, {}
        for finding in Finding.values:
            raw = data.get(f"{finding}_ok")
            raw = raw.strip().lower() if isinstance(raw, str) else raw
            if raw in YES:
                answers[finding] = True
            elif raw in NO:
                answers[finding] = False
            else:
                errors[f"{finding}_ok"] = _("Answer yes or no.")
            notes[finding] = str(data.get(f"{finding}_note") or "").strip()
            if len(notes[finding]) > NOTE:
                errors[f"{finding}_note"] = _("At most %(n)s characters.") % {"n": NOTE}
        note = str(data.get("note") or "").strip()
        if len(note) > CALL_NOTE:
            errors["note"] = _("At most %(n)s characters.") % {"n": CALL_NOTE}
        if errors:
            raise invalid(errors)
        return cls(answers=answers, notes=notes, note=note)

    @property
    def noes(self) -> list[str]:
        return [f for f in Finding.values if not self.answers[f]]
