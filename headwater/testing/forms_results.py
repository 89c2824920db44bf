"""Forms of the results pages. They only shape input; the rules are in inputs_results and the
services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.forms import Form
from headwater.testing.choices import TubeResult

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RESULTS = [(v, label) for v, label in TubeResult.choices if v != TubeResult.PENDING]


class ResultForm(Form):
    barcode = forms.CharField(
        label=_("Tube barcode"),
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    result = forms.ChoiceField(label=_("Result"), choices=RESULTS)
    result_at = forms.CharField(
        label=_("Result time"),
        required=False,
        widget=LOCAL,
        help_text=_("Empty: now."),
    )
    lab_members = forms.CharField(
        label=_("People in the tube (laboratory's count)"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    correction_reason = forms.CharField(
        label=_("Reason for a correction"),
        required=False,
        max_length=200,
        help_text=_("Only to change a result already recorded for a pooled tube."),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.cols = "col-12 col-md-6" if name == "correction_reason" else "col-6 col-md-3"


class RetestSampleForm(Form):
    barcode = forms.CharField(
        label=_("Individual tube barcode"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    taken_at = forms.CharField(label=_("Sampled at"), required=False, widget=LOCAL)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
