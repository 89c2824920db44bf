"""Forms of the core app. They only shape input; rules live in services."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from headwater.core.choices import ResponseLevel
from headwater.core.errors import DomainError
from headwater.core.models import Person, Unit
from headwater.core.validators import is_record_date


def style(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class (checkbox lists are laid out by the fields
    partial, `partials/fields.html`)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if css not in widget.attrs.get("class", "").split():
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DomainErrorMixin:
    """Shows a service's refusal on the form: each field's message beside its field (an API
    name such as `unit_id` maps to the form's `unit`), the rest above the form."""

    def add_error(self, field, error) -> None:
        # Bootstrap shows a field's message only beside an input marked is-invalid.
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css.split():
                    widget.attrs["class"] = f"{css} is-invalid".strip()

    def add_domain_error(self, error: DomainError) -> None:
        for name, message in error.fields.items():
            name = name.removesuffix("_id")
            self.add_error(name if name in self.fields else None, message)
        if not error.fields:
            self.add_error(None, error.message)

    def call(self, service, *args, **kwargs):
        """Run a service; on a refusal, show it on the form and return None."""
        try:
            return service(*args, **kwargs)
        except DomainError as e:
            self.add_domain_error(e)
            return None


class Form(DomainErrorMixin, forms.Form):
    """The base of every page form: styled, and able to show a service's refusal."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ModelForm(DomainErrorMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def date_input() -> forms.DateInput:
    """The browser's date picker, which sends and expects ISO dates."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


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


class FilterForm(forms.Form):
    """The query string of a list page. A value it cannot use is left out of the filter and
    named in a message above the list, so a mistyped or hand-edited link still shows the
    page (and never a 500)."""

    def values(self, request) -> dict:
        self.is_valid()
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else name
            messages.error(request, f"{label}: {' '.join(errors)}")
        return {name: value for name, value in self.cleaned_data.items() if value}


class RecordDateField(forms.DateField):
    """A date a record can bear (see core.validators.RECORD_YEARS)."""

    def validate(self, value) -> None:
        super().validate(value)
        if value and not is_record_date(value):
            raise forms.ValidationError(_("Enter a date between the years 1900 and 2999."))


class PeopleFilter(FilterForm):
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1, max_value=2**31 - 1)


class AuditFilter(FilterForm):
    date_from = RecordDateField(label=_("From"), required=False)
    date_to = RecordDateField(label=_("To"), required=False)
