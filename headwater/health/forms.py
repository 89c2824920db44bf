"""Forms of the health pages. They only shape input for the phone; the rules (temperature
range, dates, travel details, counts) live in services and come back as DomainError fields."""

import uuid

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.forms import DomainErrorMixin, style
from headwater.health.choices import Household, Slot, Symptom, Whereabouts
from headwater.health.models import CheckIn, UnitReport
from headwater.health.services import REPORT_COUNTS


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MarksInvalidMixin:
    """Bootstrap shows a field's message only beside an input marked is-invalid."""

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css:
                    widget.attrs["class"] = f"{css} is-invalid".strip()


class CheckInForm(MarksInvalidMixin, DomainErrorMixin, forms.Form):
    """Today's check-in. `key` is a fresh idempotency key on every render, so a double tap or
    a retry over a bad connection sends the same key and never makes a second check-in."""

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
    returned_on = forms.DateField(label=_("Back on"), required=False, widget=_date_input())
    contact_confirmed = forms.BooleanField(label=_("A confirmed case"), required=False)
    contact_suspected = forms.BooleanField(label=_("A suspected case"), required=False)
    contact_risk_area = forms.BooleanField(label=_("People from a risk area"), required=False)
    last_contact_on = forms.DateField(
        label=_("Last contact on"), required=False, widget=_date_input()
    )
    household = forms.ChoiceField(label=_("People you live with"), choices=Household.choices)
    household_note = forms.CharField(label=_("Details (optional)"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today().isoformat()
        for name in ("returned_on", "last_contact_on"):
            self.fields[name].widget.attrs["max"] = today
        for name in ("left_city", "contact_confirmed", "contact_suspected", "contact_risk_area"):
            self.fields[name].widget.attrs.update({"class": "form-check-input", "role": "switch"})
        style(self)

    def clean(self) -> dict:
        """Details typed under a switch that was turned off again are not part of the answer
        (they stay in the hidden inputs of the page)."""
        data = super().clean()
        if not data.get("left_city"):
            data["travel_to"], data["returned_on"] = "", None
        if not any(
            data.get(n) for n in ("contact_confirmed", "contact_suspected", "contact_risk_area")
        ):
            data["last_contact_on"] = None
        return data

    @classmethod
    def initial_for(cls, slot: str, checkin: CheckIn | None) -> dict:
        """A new key for this render, the slot, and the check-in being corrected, if any."""
        initial = {
            "key": uuid.uuid4().hex,
            "slot": slot,
            "whereabouts": Whereabouts.AT_WORK,
            "household": Household.WELL,
        }
        if checkin is not None:
            names = [n for n in cls.base_fields if n not in ("key", "slot")]
            initial.update({n: getattr(checkin, n) for n in names})
        return initial


class UnitReportForm(MarksInvalidMixin, DomainErrorMixin, forms.Form):
    """The unit's daily report: one number per count (services.REPORT_COUNTS) and notes."""

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
        style(self)

    def counts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in REPORT_COUNTS}

    @staticmethod
    def initial_for(report: UnitReport | None, suggested: dict[str, int]) -> dict:
        if report is None:
            return {name: suggested[name] for name in REPORT_COUNTS}
        return {**{n: getattr(report, n) for n in REPORT_COUNTS}, "notes": report.notes}
