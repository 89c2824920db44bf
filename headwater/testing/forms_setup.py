"""Page forms of the setup part: fields and widgets only; every rule is in inputs_setup.py
(the forms hand their data to its `parse`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.forms import Form, date_input
from headwater.testing.choices import PoolSize


class CampaignForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    starts_on = forms.DateField(label=_("First day"), widget=date_input())
    ends_on = forms.DateField(label=_("Last day"), widget=date_input())
    pool_size = forms.TypedChoiceField(
        label=_("Pooling size"), choices=PoolSize.choices, coerce=int, initial=PoolSize.FIVE
    )
    bring = forms.CharField(
        label=_("What to bring"),
        max_length=300,
        required=False,
        help_text=_("Told to everyone in the notice, e.g. ID card, mask, the pass on the phone."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SiteForm(Form):
    name = forms.CharField(label=_("Sampling site"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    site_id = forms.TypedChoiceField(
        label=_("Site of the organization"), required=False, coerce=int, empty_value=None
    )
    desks = forms.IntegerField(label=_("Desks"), min_value=1, max_value=50, initial=1)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_id"].choices = [("", "—")] + [(s.pk, s.name) for s in sites]


class PlanForm(Form):
    start = forms.TimeField(
        label=_("First window starts"),
        initial="08:00",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    minutes = forms.IntegerField(
        label=_("Window (minutes)"), initial=30, min_value=5, max_value=600
    )
    day_end = forms.TimeField(
        label=_("Last window ends by"),
        initial="18:00",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )


class BatchForm(Form):
    label = forms.CharField(label=_("Batch"), max_length=100)
    site_id = forms.TypedChoiceField(label=_("Sampling site"), coerce=int)
    starts_at = forms.DateTimeField(
        label=_("Window starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Window ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_id"].choices = [(s.pk, s.name) for s in sites]
