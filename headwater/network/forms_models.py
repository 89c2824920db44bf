"""Page forms of the models part: fields and widgets only; the rules are the services'."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core.forms import Form
from headwater.network.services.models import NAME_MAX, NOTE_MAX, SEED_MAX


class UploadForm(Form):
    file = forms.FileField(
        label=pgettext_lazy("network models", "Model file (EPANET .inp)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".inp,text/plain"}),
    )
    name = forms.CharField(
        label=pgettext_lazy("network models", "Name"),
        max_length=NAME_MAX,
        required=False,
        help_text=pgettext_lazy("network models", "Blank: the model's title."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = uuid.uuid4().hex


class GenerateForm(Form):
    placement = forms.ChoiceField(
        label=pgettext_lazy("network models", "Placement"),
        choices=[
            ("strategic", pgettext_lazy("network models", "Strategic N-k")),
            ("random", pgettext_lazy("network models", "Random")),
        ],
    )
    n = forms.IntegerField(
        label=pgettext_lazy("network models", "n"),
        min_value=0,
        max_value=100_000,
        initial=1,
    )
    seed = forms.IntegerField(
        label=pgettext_lazy("network models", "Seed"), min_value=0, max_value=SEED_MAX, initial=0
    )
