from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.forms import Form, date_input


class GenerateForm(Form):
    day = forms.DateField(label=_("Day reported"), widget=date_input())
