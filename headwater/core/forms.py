"""Forms of the core app. They only shape input; rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.choices import ResponseLevel
from headwater.core.errors import DomainError
from headwater.core.models import Person, Unit


def style(form: forms.Form) -> None:
    """Give every widget its Bootstrap class."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class DomainErrorMixin:
    def add_domain_error(self, error: DomainError) -> None:
        for name, message in error.fields.items():
            name = name.removesuffix("_id")
            self.add_error(name if name in self.fields else None, message)
        if not error.fields:
            self.add_error(None, error.message)


class PersonForm(DomainErrorMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "employee_no",
            "name",
            "unit",
            "position",
            "phone",
            "id_number",
            "employment_status",
            "is_critical",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        style(self)


class LevelSwitchForm(forms.Form):
    level = forms.ChoiceField(label=_("Response level"), choices=ResponseLevel.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": _("Reason, e.g. the city started a level 1 response")}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
