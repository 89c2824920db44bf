"""Forms of the water-quality pages: a sampling plan, an internal limit, a relaxation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from headwater.core.choices import ResponseLevel
from headwater.quality import catalog
from headwater.quality.choices import PointKind
from headwater.quality.models import InternalLimit, Relaxation, SamplingPlan, SamplingPoint

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap's classes on every widget but checkboxes (the templates lay those out)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.CheckboxInput)):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class Bootstrapped:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def date_input() -> forms.DateInput:
    """The browser's date picker, which sends and expects ISO dates."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def indicator_choices():
    return [(c, f"{i.name_zh} ({i.code})") for c, i in catalog.indicators().items()]


class CommaList(forms.CharField):
    def to_python(self, value):
        return [x.strip() for x in (value or "").replace("，", ",").split(",") if x.strip()]

    def prepare_value(self, value):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else value


class PlanForm(forms.ModelForm):
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), choices=indicator_choices, widget=forms.CheckboxSelectMultiple
    )
    times = CommaList(label=_("Times of day"), required=False, help_text=_("e.g. 08:00, 16:00"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    months = CommaList(label=_("Months"), required=False, help_text=_("Half-yearly: e.g. 1, 7"))
    levels = forms.MultipleChoiceField(
        label=_("Only at response levels"),
        choices=ResponseLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
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

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from headwater.quality.models import Lab

        self.fields["lab"].queryset = Lab.objects.filter(organization=organization)
        self.fields["point"].queryset = SamplingPoint.objects.filter(organization=organization)
        self.fields["point_kind"].choices = [("", _("— one point —")), *PointKind.choices]
        bootstrap(self)

    def clean_months(self):
        try:
            return [int(m) for m in self.cleaned_data["months"]]
        except ValueError:
            raise forms.ValidationError(_("Months are numbers 1 to 12.")) from None


BOUNDS = ["indicator", "point_kind", "minimum", "maximum", "valid_from", "valid_until"]
PERIOD = {"valid_from": date_input(), "valid_until": date_input()}


class InternalLimitForm(Bootstrapped, forms.ModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)

    class Meta:
        model = InternalLimit
        fields = [*BOUNDS, "note"]
        widgets = PERIOD


class RelaxationForm(Bootstrapped, forms.ModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)

    class Meta:
        model = Relaxation
        fields = [*BOUNDS, "reason", "risk_assessment"]
        widgets = PERIOD | {"risk_assessment": forms.Textarea(attrs={"rows": 3})}


class PointForm(Bootstrapped, forms.ModelForm):
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

    def __init__(self, *args, organization, **kwargs):
        """Choices of the organization; services.save_point checks the rest (the unit among
        those the user manages, the code unique)."""
        super().__init__(*args, **kwargs)
        from headwater.core.models import Site, Unit
        from headwater.quality.models import Lab

        self.fields["unit"].queryset = Unit.objects.filter(organization=organization)
        self.fields["lab"].queryset = Lab.objects.filter(organization=organization)
        self.fields["site"].queryset = Site.objects.filter(organization=organization)
