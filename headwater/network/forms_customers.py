"""Page form of a critical customer: fields and widgets only; every rule is in
inputs_customers.py and services/customers.py."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core.forms import Form
from headwater.network.choices import CustomerKind
from headwater.network.inputs_customers import (
    ADDRESS_MAX,
    CONTACT_MAX,
    FEEDS_MAX,
    NAME_MAX,
    NOTE_MAX,
    PHONE_MAX,
    PRESSURE_MAX,
)


class CustomerForm(Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    name = forms.CharField(label=pgettext_lazy("critical customer", "Name"), max_length=NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind of customer"), choices=CustomerKind.choices)
    address = forms.CharField(label=_("Address"), max_length=ADDRESS_MAX, required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=CONTACT_MAX, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=PHONE_MAX, required=False)
    duty_phone = forms.CharField(label=_("Duty phone"), max_length=PHONE_MAX, required=False)
    nodes = forms.CharField(
        label=_("Feeding nodes"),
        max_length=1000,
        help_text=_("Node ids of the current network model, separated by commas or 、"),
    )
    feeds = forms.IntegerField(
        label=_("Independent feeds"), min_value=1, max_value=FEEDS_MAX, initial=1
    )
    min_pressure = forms.FloatField(
        label=_("Minimum pressure (m)"), min_value=0, max_value=PRESSURE_MAX, initial=20
    )
    x = forms.FloatField(
        label=_("X"), required=False, help_text=_("Blank: the first feeding node's position")
    )
    y = forms.FloatField(label=_("Y"), required=False)
    pressure_point = forms.TypedChoiceField(
        label=_("Pressure point"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pressure_point"].choices = [("", _("None"))] + [
            (p.pk, f"{p.code} {p.name}") for p in points
        ]
        for name in ("feeds", "min_pressure", "x", "y"):
            self.fields[name].cols = "col-6 col-md-3"
        self.fields["note"].cols = "col-12"
