"""The booking form of a service request (shape only; the rules are in inputs_requests)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.forms import Form
from headwater.isolation.choices_requests import RequestKind

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RequestForm(Form):
    kind = forms.ChoiceField(label=_("Service"), choices=RequestKind.choices)
    details = forms.CharField(
        label=_("Details (for shopping, the list)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    window_start = forms.DateTimeField(label=_("Preferred from"), widget=LOCAL)
    window_end = forms.DateTimeField(label=_("Preferred until"), widget=LOCAL)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
