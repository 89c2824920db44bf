"""Page forms of the notices app: they shape what the page sends; PublishInput.parse judges."""

from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.core.forms import Form
from headwater.core.models import Unit
from headwater.core.querysets import grants_for
from headwater.notices.choices import NoticeKind, Requirement
from headwater.notices.permissions import PUBLISH


def publishable_units(user):
    """The units the user may publish to: every unit for an organization-wide grant, else the
    subtrees of their unit grants."""
    org_wide, paths = grants_for(user, PUBLISH)
    units = Unit.objects.filter(organization_id=user.organization_id)
    if org_wide:
        return units
    if not paths:
        return units.none()
    return units.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


class PublishForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices, initial=NoticeKind.RULES)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Notice text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    unit_ids = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Each chosen unit with the units below it; none: the whole organization."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    requirement = forms.ChoiceField(
        label=_("Readers must"), choices=Requirement.choices, initial=Requirement.READ
    )
    statement = forms.CharField(
        label=_("Acknowledgement"),
        max_length=200,
        required=False,
        help_text=_('What readers accept, e.g. 我已知晓并遵守 (for "Acknowledge").'),
    )
    question = forms.CharField(label=_("Question"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option a line, 2 to 6."),
    )
    answer = forms.IntegerField(
        label=_("Correct option"),
        required=False,
        min_value=1,
        max_value=6,
        help_text=_("Its number in the list, from 1."),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_ids"].queryset = publishable_units(user)
        self.fields["unit_ids"].label_from_instance = lambda u: "　" * (u.depth - 1) + u.name

    def data_for_input(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit_ids"] = [u.pk for u in data["unit_ids"]]
        data["answer"] = data["answer"] - 1 if data.get("answer") else None
        return data
