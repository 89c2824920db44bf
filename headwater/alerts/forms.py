"""Forms of the alerts app. They only shape input; rules live in services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.alerts.models import WebhookChannel
from headwater.core.forms import DomainErrorMixin, Form, style
from headwater.core.models import Unit


def split_kinds(text: str) -> list[str]:
    """ "health, isolation" → ["health", "isolation"]; Chinese commas and spaces separate too."""
    return list(dict.fromkeys(k for k in re.split(r"[,，;；\s]+", text) if k))


class ChannelForm(DomainErrorMixin, forms.ModelForm):
    kinds = forms.CharField(
        label=_("Alert kinds"),
        required=False,
        help_text=_("Comma-separated prefixes, e.g. health, isolation; empty takes every kind."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk only: the secret of the robot's signing (加签) security setting."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)

    class Meta:
        model = WebhookChannel
        fields = ["name", "kind", "url", "secret", "kinds", "min_severity", "unit", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user).filter(organization_id=user.organization_id)
        ).order_by("path")
        self.fields["url"].widget = forms.URLInput(
            attrs={"placeholder": "https://oapi.dingtalk.com/robot/send?access_token=…"}
        )
        if self.instance.pk:
            self.initial["kinds"] = ", ".join(self.instance.kinds)
            if self.instance.secret:
                self.fields["secret"].help_text = _("Leave empty to keep the secret in force.")
        else:
            del self.fields["clear_secret"]
        style(self)

    def clean_kinds(self) -> list[str]:
        return split_kinds(self.cleaned_data["kinds"])

    def clean(self) -> dict:
        data = super().clean()
        # The secret is never shown again: an empty field keeps it, unless asked to remove it.
        if self.instance.pk and not data.get("secret") and not data.get("clear_secret"):
            data["secret"] = self.instance.secret
        return data


class CloseForm(Form):
    """The note that closes an alert; services.close requires it and bounds its length."""

    note = forms.CharField(
        label=_("What was done"),
        required=False,  # services.close says what is missing, page and API alike
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: who was told, what was checked or arranged."),
    )
