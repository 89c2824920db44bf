"""Forms of the isolation pages. They only shape input; the rules are in inputs and services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.forms import Form, date_input
from headwater.isolation.choices import CaseKind, Channel, Mood


class OpenCaseForm(Form):
    kind = forms.ChoiceField(label=_("Kind of isolation"), choices=CaseKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    exposure_on = forms.DateField(label=_("Last exposure on"), required=False, widget=date_input())
    started_on = forms.DateField(label=_("Isolated from"), widget=date_input())
    planned_end = forms.DateField(
        label=_("Planned end"),
        required=False,
        widget=date_input(),
        help_text=_("Empty: the kind's default number of days from the start."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    household_member_id = forms.TypedChoiceField(
        label=_("Who is isolated"), coerce=int, required=False, empty_value=None
    )
    household_ids = forms.TypedMultipleChoiceField(
        label=_("Household members isolated with them"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    monitor_id = forms.TypedChoiceField(
        label=_("Monitor"), coerce=int, required=False, empty_value=None
    )
    volunteer_id = forms.TypedChoiceField(
        label=_("Volunteer"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, person, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        relatives = [
            (m.pk, f"{m.name}（{m.get_relation_display()}）")
            for m in person.household.filter(is_active=True)
        ]
        self.fields["household_member_id"].choices = [("", person.name)] + relatives
        self.fields["household_ids"].choices = relatives
        if not relatives:
            del self.fields["household_member_id"], self.fields["household_ids"]
        people = [("", "—")] + [(p.pk, f"{p.name} {p.employee_no}") for p in helpers]
        self.fields["monitor_id"].choices = people
        self.fields["volunteer_id"].choices = people
        for name, field in self.fields.items():
            field.cols = (
                "col-12" if name in ("reason", "address", "household_ids") else "col-6 col-md-4"
            )


class CheckForm(Form):
    channel = forms.ChoiceField(
        label=_("Reached by"),
        choices=Channel.choices,
        initial=Channel.PHONE,
    )
    morning_temperature = forms.DecimalField(
        label=_("Morning °C"),
        required=False,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    afternoon_temperature = forms.DecimalField(
        label=_("Afternoon °C"),
        required=False,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    symptoms = forms.CharField(label=_("Symptoms"), max_length=200, required=False)
    needs = forms.CharField(label=_("Needs"), max_length=300, required=False)
    mood = forms.ChoiceField(label=_("Mood"), choices=Mood.choices, initial=Mood.GOOD)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.cols = "col-6" if "temperature" in name or name == "mood" else "col-12"


class ExtendForm(Form):
    planned_end = forms.DateField(label=_("New planned end"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), max_length=300)
