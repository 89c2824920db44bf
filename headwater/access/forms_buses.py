"""Page forms of the commute buses: fields and widgets only; every rule is in inputs_buses.py
(the forms hand their data to its `parse`)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core.forms import Form, date_input


class RouteForm(Form):
    name = forms.CharField(label=pgettext_lazy("bus route", "Route name"), max_length=100)
    gate_id = forms.TypedChoiceField(label=pgettext_lazy("bus", "Bus gate post"), coerce=int)
    stops = forms.CharField(
        label=pgettext_lazy("bus", "Stops"),
        max_length=500,
        required=False,
        help_text=_("In order, e.g. 清源社区 → 河东路口 → 第一水厂."),
    )
    active = forms.BooleanField(
        label=pgettext_lazy("bus", "In service"), required=False, initial=True
    )

    def __init__(self, *args, gates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate_id"].choices = [(g.pk, f"{g.name} · {g.site.name}") for g in gates]


class TimetableForm(Form):
    starts_on = forms.DateField(label=_("From"), widget=date_input())
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=14, initial=7)
    departures = forms.CharField(
        label=pgettext_lazy("bus", "Departure times"),
        max_length=200,
        help_text=_("e.g. 07:10, 17:30"),
    )
    plate = forms.CharField(label=pgettext_lazy("bus", "Plate"), max_length=16, required=False)
    driver_name = forms.CharField(label=_("Driver"), max_length=50, required=False)


class DisinfectionForm(Form):
    at = forms.DateTimeField(
        label=pgettext_lazy("bus", "Disinfected at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(
        label=pgettext_lazy("bus", "How it was disinfected"),
        max_length=200,
        required=False,
        help_text=_("What with, e.g. 含氯消毒液喷洒座椅扶手."),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)


class CorrectionForm(DisinfectionForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)
