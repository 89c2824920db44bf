"""Forms of the health pages. They only shape input for the phone; the rules (temperature
range, dates, travel details, counts) are the inputs' (health.inputs), applied by the
services, and come back as DomainError fields."""

import uuid

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.forms import Form, date_input, style
from headwater.health.choices import Household, Slot, Symptom, Whereabouts
from headwater.health.inputs import REPORT_COUNTS
from headwater.health.models import CheckIn, HouseholdCheckIn, UnitReport


class CheckInForm(Form):
    """Today's check-in, fed to health.inputs.CheckInInput by the service. `key` is a fresh
    idempotency key on every render, so a double tap or a retry over a bad connection sends
    the same key and never makes a second check-in."""

    key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    slot = forms.ChoiceField(choices=Slot.choices, widget=forms.HiddenInput)
    temperature = forms.CharField(
        label=_("Temperature (°C)"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "placeholder": "36.5",
                "class": "form-control form-control-lg text-center fs-2 fw-semibold",
            }
        ),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"),
        choices=Symptom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
    )
    whereabouts = forms.ChoiceField(label=_("Where are you today?"), choices=Whereabouts.choices)
    location_note = forms.CharField(
        label=_("Where exactly (optional)"), required=False, max_length=100
    )
    left_city = forms.BooleanField(label=_("I left the city in the last 14 days"), required=False)
    travel_to = forms.CharField(label=_("Where did you go?"), required=False, max_length=100)
    returned_on = forms.DateField(label=_("Back on"), required=False, widget=date_input())
    contact_confirmed = forms.BooleanField(label=_("A confirmed case"), required=False)
    contact_suspected = forms.BooleanField(label=_("A suspected case"), required=False)
    contact_risk_area = forms.BooleanField(label=_("People from a risk area"), required=False)
    last_contact_on = forms.DateField(
        label=_("Last contact on"), required=False, widget=date_input()
    )
    household = forms.ChoiceField(label=_("People you live with"), choices=Household.choices)
    household_note = forms.CharField(label=_("Details (optional)"), required=False, max_length=200)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for m in self.members:
            self.fields.update(_relative_fields(m.pk))
        style(self)  # the relatives' fields came after the base form styled its fields
        today = clock.today().isoformat()
        for name in ("returned_on", "last_contact_on"):
            self.fields[name].widget.attrs["max"] = today
        for name in ("left_city", "contact_confirmed", "contact_suspected", "contact_risk_area"):
            self.fields[name].widget.attrs.update({"class": "form-check-input", "role": "switch"})

    def relatives(self) -> list[dict]:
        """The relatives' lines as health.inputs.RelativeLine reads them."""
        data = self.cleaned_data
        return [
            {
                "member_id": m.pk,
                **{name: data.get(f"relatives.{m.pk}.{name}") for name in RELATIVE_FIELDS},
            }
            for m in self.members
        ]

    def relative_rows(self) -> list[dict]:
        """Per relative, its member and bound fields, for the template."""
        return [
            {"member": m, **{n: self[f"relatives.{m.pk}.{n}"] for n in RELATIVE_FIELDS}}
            for m in self.members
        ]

    @classmethod
    def initial_for(
        cls, slot: str, checkin: CheckIn | None, lines: dict[int, HouseholdCheckIn] | None = None
    ) -> dict:
        """A new key for this render, the slot, the check-in being corrected, if any, and the
        relatives' lines of the day already given."""
        initial = {
            "key": uuid.uuid4().hex,
            "slot": slot,
            "whereabouts": Whereabouts.AT_WORK,
            "household": Household.WELL,
        }
        if checkin is not None:
            names = [n for n in cls.base_fields if n not in ("key", "slot")]
            initial.update({n: getattr(checkin, n) for n in names})
        for member_id, line in (lines or {}).items():
            initial.update(
                {f"relatives.{member_id}.{n}": getattr(line, n) for n in RELATIVE_FIELDS}
            )
        return initial


RELATIVE_FIELDS = ("temperature", "symptoms", "travel", "note")


def _relative_fields(member_id: int) -> dict[str, forms.Field]:
    """A relative's line: temperature, symptoms, travel or contact with a note."""
    prefix = f"relatives.{member_id}."
    return {
        prefix + "temperature": forms.CharField(
            label=_("Temperature (°C)"),
            required=False,
            max_length=10,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "36.5"}
            ),
        ),
        prefix + "symptoms": forms.MultipleChoiceField(
            label=_("Symptoms"),
            choices=Symptom.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
        ),
        prefix + "travel": forms.BooleanField(
            label=_("Travel or contact with a case or a risk area in the last 14 days"),
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
        ),
        prefix + "note": forms.CharField(label=_("Where, or whom"), required=False, max_length=200),
    }


class UnitReportForm(Form):
    """The unit's daily report: one number per count (inputs.REPORT_COUNTS) and notes, fed to
    health.inputs.UnitReportInput by the service."""

    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = {
            name: forms.CharField(
                label=capfirst(UnitReport._meta.get_field(name).verbose_name),
                required=False,
                max_length=9,
                widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            )
            for name in REPORT_COUNTS
        }
        self.fields = {**counts, **self.fields}
        style(self)  # the counts came after the base form styled its fields

    def counts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in REPORT_COUNTS}

    @staticmethod
    def initial_for(report: UnitReport | None, suggested: dict[str, int]) -> dict:
        if report is None:
            return {name: suggested[name] for name in REPORT_COUNTS}
        return {**{n: getattr(report, n) for n in REPORT_COUNTS}, "notes": report.notes}
