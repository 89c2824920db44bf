"""Forms of the roster and post pages (shape only; the rules are in inputs_rosters and the
services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.choices import QualificationKind
from headwater.core.forms import Form, date_input
from headwater.duty.choices import LeaveKind, PostKind, PreferenceKind, ShiftPattern

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SHIFT_ROWS = 4


class GenerateForm(Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    starts_on = forms.DateField(label=_("First day"), widget=date_input())
    ends_on = forms.DateField(label=_("Last day"), widget=date_input())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class PostForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PostKind.choices)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None)
    duty_phone = forms.CharField(label=_("Duty phone"), max_length=20, required=False)
    min_people = forms.IntegerField(label=_("Minimum people per shift"), min_value=1, initial=1)
    qualification = forms.ChoiceField(
        label=_("Qualification required"),
        choices=[("", "—"), *QualificationKind.choices],
        required=False,
    )
    min_qualified = forms.IntegerField(
        label=_("Minimum qualified people per shift"), min_value=0, initial=0
    )
    critical = forms.BooleanField(label=_("Critical post"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    pattern = forms.ChoiceField(
        label=_("Shift pattern"), choices=ShiftPattern.choices, required=False
    )

    def __init__(self, *args, units=(), sites=(), creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["site"].choices = [("", "—"), *((s.pk, s.name) for s in sites)]
        if not creating:
            del self.fields["pattern"]


class ShiftsForm(Form):
    """Up to four shifts of the day: label, start, hours, night."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(SHIFT_ROWS):
            self.fields[f"{i}-label"] = forms.CharField(
                label=_("Shift"), max_length=30, required=False
            )
            self.fields[f"{i}-starts"] = forms.TimeField(
                label=_("Starts at"), required=False, widget=TIME
            )
            self.fields[f"{i}-hours"] = forms.DecimalField(
                label=_("Hours"), required=False, min_value=1, max_value=24, decimal_places=1
            )
            self.fields[f"{i}-night"] = forms.BooleanField(label=_("Night"), required=False)

    def rows(self):
        return [
            [self[f"{i}-{name}"] for name in ("label", "starts", "hours", "night")]
            for i in range(SHIFT_ROWS)
        ]


class PeopleForm(Form):
    people = forms.TypedMultipleChoiceField(
        label=_("Team"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    leaders = forms.TypedMultipleChoiceField(
        label=_("May lead the watch"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = choices
        self.fields["leaders"].choices = choices


class ReserveForm(Form):
    numbers = forms.CharField(
        label=_("Reserve pool: employee numbers of people of other units"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in people]


class LeaveForm(Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=LeaveKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=date_input())
    ends_on = forms.DateField(label=_("Until"), widget=date_input())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in people]


class WishForm(Form):
    day = forms.DateField(label=_("Day"), widget=date_input())
    kind = forms.ChoiceField(label=_("Wish"), choices=PreferenceKind.choices)
