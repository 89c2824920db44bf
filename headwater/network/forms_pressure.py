"""Page forms of the pressure watch: fields and widgets only; every rule is in
inputs_pressure.py."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core.forms import Form
from headwater.network.choices import PointKind
from headwater.network.inputs_pressure import CODE_MAX, NAME_MAX, NODE_MAX


def _number():
    return forms.CharField(
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class PointForm(Form):
    code = forms.CharField(label=pgettext_lazy("pressure point", "Code"), max_length=CODE_MAX)
    name = forms.CharField(label=pgettext_lazy("pressure point", "Name"), max_length=NAME_MAX)
    kind = forms.ChoiceField(
        label=pgettext_lazy("pressure point", "Measures"), choices=PointKind.choices
    )
    node = forms.CharField(
        label=_("Network model node"),
        max_length=NODE_MAX,
        required=False,
        help_text=_("A junction of the current model, e.g. 123"),
    )
    low = _number()
    high = _number()
    open_work_order = forms.BooleanField(label=_("Open a work order on an alarm"), required=False)
    active = forms.BooleanField(label=_("Watched"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["low"].label = _("Low threshold")
        self.fields["high"].label = _("High threshold")


class PressureDeviceForm(Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "device-%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(
        label=_("Device name"),
        max_length=NAME_MAX,
        help_text=_("e.g. RTU at the First Hospital"),
    )
