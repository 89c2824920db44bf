"""Page forms of the gates part: fields and widgets only; every rule is in inputs_gates.py."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.access.choices import GateKind
from headwater.access.inputs_gates import BATCH_MAX, NAME_MAX
from headwater.core.forms import Form


class GateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    kind = forms.ChoiceField(label=pgettext_lazy("gates", "Kind of post"), choices=GateKind.choices)
    checks_temperature = forms.BooleanField(
        label=pgettext_lazy("gates", "Takes the temperature"), required=False, initial=True
    )
    active = forms.BooleanField(label=_("Open"), required=False, initial=True)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(s.pk, s.name) for s in sites]


class DeviceForm(Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "device-%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(
        label=_("Device name"),
        max_length=NAME_MAX,
        help_text=pgettext_lazy("gates", "e.g. East gate tablet 1"),
    )


class TeamForm(Form):
    """Shown on the gate's page beside the device form: ids of its own (auto_id)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "team-%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(label=pgettext_lazy("gates", "Team name"), max_length=NAME_MAX)
    batch = forms.IntegerField(label=_("Batch"), min_value=1, max_value=BATCH_MAX, initial=1)
    leader = forms.CharField(
        label=pgettext_lazy("gates", "Team leader (staff number or phone)"),
        max_length=20,
        required=False,
    )


class MemberForm(Form):
    who = forms.CharField(label=pgettext_lazy("gates", "Staff number or phone"), max_length=20)
