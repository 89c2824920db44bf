"""Forms of the water-quality pages: a sampling point, a plan, an internal limit, a relaxation.

They only shape input: each gives its use-case's typed input (`input()`, quality.inputs) to the
service, which holds the rules; the choices they offer are the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.choices import ResponseLevel
from headwater.core.forms import ModelForm, date_input
from headwater.core.models import Site
from headwater.quality import catalog, services
from headwater.quality.choices import PointKind
from headwater.quality.inputs import LimitInput, PlanInput, PointInput, RelaxationInput
from headwater.quality.models import InternalLimit, Lab, Relaxation, SamplingPlan, SamplingPoint
from headwater.quality.permissions import MANAGE

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


def indicator_choices():
    return [(c, f"{i.name_zh} ({i.code})") for c, i in catalog.indicators().items()]


class CommaList(forms.CharField):
    def to_python(self, value):
        return [x.strip() for x in (value or "").replace("，", ",").split(",") if x.strip()]

    def prepare_value(self, value):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else value


class CheckboxGrid(forms.CheckboxSelectMultiple):
    """Many checkboxes (the indicators) in a scrolling grid of columns."""

    template_name = "quality/widgets/checkbox_grid.html"


class CheckboxRow(forms.CheckboxSelectMultiple):
    """A few checkboxes (weekdays, levels) side by side."""

    template_name = "quality/widgets/checkbox_row.html"


class PlanForm(ModelForm):
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), choices=indicator_choices, widget=CheckboxGrid
    )
    times = CommaList(label=_("Times of day"), required=False, help_text=_("e.g. 08:00, 16:00"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=CheckboxRow,
    )
    months = CommaList(label=_("Months"), required=False, help_text=_("Half-yearly: e.g. 1, 7"))
    levels = forms.MultipleChoiceField(
        label=_("Only at response levels"),
        choices=ResponseLevel.choices,
        required=False,
        widget=CheckboxRow,
        help_text=_("None ticked: always."),
    )

    class Meta:
        model = SamplingPlan
        fields = [
            "name",
            "lab",
            "point_kind",
            "point",
            "indicators",
            "frequency",
            "every_hours",
            "times",
            "weekdays",
            "day_of_month",
            "months",
            "window_hours",
            "levels",
            "starts_on",
            "active",
        ]
        widgets = {"starts_on": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lab"].queryset = Lab.objects.visible_to(user)
        self.fields["point"].queryset = SamplingPoint.objects.visible_to(user)
        self.fields["point_kind"].choices = [("", _("— one point —")), *PointKind.choices]

    def clean_months(self):
        try:
            return [int(m) for m in self.cleaned_data["months"]]
        except ValueError:
            raise forms.ValidationError(_("Months are numbers 1 to 12.")) from None

    def input(self) -> PlanInput:
        return PlanInput.from_form(self.cleaned_data)


BOUNDS = ["indicator", "point_kind", "minimum", "maximum", "valid_from", "valid_until"]
PERIOD = {"valid_from": date_input(), "valid_until": date_input()}


class InternalLimitForm(ModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)

    class Meta:
        model = InternalLimit
        fields = [*BOUNDS, "note"]
        widgets = PERIOD

    def input(self) -> LimitInput:
        return LimitInput.from_form(self.cleaned_data)


class RelaxationForm(ModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)

    class Meta:
        model = Relaxation
        fields = [*BOUNDS, "reason", "risk_assessment"]
        widgets = PERIOD | {"risk_assessment": forms.Textarea(attrs={"rows": 3})}

    def input(self) -> RelaxationInput:
        return RelaxationInput.from_form(self.cleaned_data)


class PointForm(ModelForm):
    class Meta:
        model = SamplingPoint
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "lab",
            "site",
            "supply_type",
            "network_node",
            "active",
        ]

    def __init__(self, *args, user, **kwargs):
        """The choices of the user's scope; services.save_point checks them again with the
        rest (the code unique)."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = services.units_for(user, MANAGE)
        self.fields["lab"].queryset = Lab.objects.visible_to(user)
        self.fields["site"].queryset = Site.objects.visible_to(user)

    def input(self) -> PointInput:
        return PointInput.from_form(self.cleaned_data)
