"""Forms of the visitor and vehicle pages. They only shape input; the rules are in
inputs_visits and the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.access.choices import Direction
from headwater.core.forms import Form

NUMERIC = {"inputmode": "decimal", "autocomplete": "off"}


class VisitForm(Form):
    name = forms.CharField(label=_("Visitor's name"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Visitor's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    company = forms.CharField(
        label=pgettext_lazy("visitor", "Company or organization"), max_length=100, required=False
    )
    reason = forms.CharField(label=_("Reason for the visit"), max_length=200, required=False)
    host = forms.CharField(
        label=_("Host (name, staff number or phone)"), max_length=100, required=False
    )
    plate = forms.CharField(label=_("Plate (if by car)"), max_length=16, required=False)
    temperature = forms.CharField(
        label=_("Temperature (°C)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs=NUMERIC),
    )
    travel_history = forms.CharField(
        label=_("Travel in the last 14 days"), max_length=300, required=False
    )
    contact_history = forms.CharField(
        label=_("Contact with cases or risk areas"), max_length=300, required=False
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class VehicleForm(Form):
    plate = forms.CharField(label=_("Plate"), max_length=16, required=False)
    direction = forms.ChoiceField(
        label=pgettext_lazy("vehicle", "Direction"), choices=Direction.choices
    )
    driver_name = forms.CharField(label=_("Driver's name"), max_length=50, required=False)
    driver_phone = forms.CharField(
        label=_("Driver's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    driver_temperature = forms.CharField(
        label=_("Driver's temperature (°C)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs=NUMERIC),
    )
    cargo = forms.CharField(label=_("Cargo"), max_length=200, required=False)
    disinfected = forms.BooleanField(label=_("Vehicle disinfected"), required=False)
    visit_id = forms.ChoiceField(label=_("Comes with the visit"), required=False)
    override_host = forms.CharField(
        label=_("Closed site: host who lets it in"), max_length=100, required=False
    )
    override_reason = forms.CharField(
        label=_("Closed site: the host's reason"), max_length=200, required=False
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_id"].choices = [("", "—")] + [
            (v.pk, f"{v.name} · {v.get_state_display()}") for v in visits
        ]


class DecisionForm(Form):
    override_reason = forms.CharField(
        label=_("Override reason (closed site)"), max_length=200, required=False
    )
    note = forms.CharField(label=_("Why refused"), max_length=200, required=False)
