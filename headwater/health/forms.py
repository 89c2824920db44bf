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
from headwater.health.models import CheckIn, UnitReport


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today().isoformat()
        for name in ("returned_on", "last_contact_on"):
            self.fields[name].widget.attrs["max"] = today
        for name in ("left_city", "contact_confirmed", "contact_suspected", "contact_risk_area"):
            self.fields[name].widget.attrs.update({"class": "form-check-input", "role": "switch"})

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
