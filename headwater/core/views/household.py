"""The "my household" phone page (我的家属): a member of staff lists, registers, edits and
deactivates their relatives; the office may open it for anyone in scope (`?person=`). Thin
over core.household."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import household
from headwater.core.choices import Relation
from headwater.core.errors import DomainError
from headwater.core.forms import Form
from headwater.core.models import HouseholdMember, Person
from headwater.core.validators import INT_MAX


class MemberForm(Form):
    """A relative's fields; the rules (required name, phone format, lengths) are
    core.household.parse's, shown beside the fields."""

    key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False)
    relation = forms.ChoiceField(label=gettext_lazy("Relation"), choices=Relation.choices)
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)


def _person(request) -> Person:
    """Whose household: the user's own, or (office) the person asked for in scope."""
    wanted = request.GET.get("person") or request.POST.get("person")
    if wanted:
        try:
            pk = int(wanted)
            if not 1 <= pk <= INT_MAX:
                raise ValueError(pk)
        except ValueError as e:
            raise Http404 from e
        person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
        if not household.may_manage(request.user, person):
            raise Http404
        return person
    if request.user.person_id is None:
        raise PermissionDenied(_("This login is not linked to a member of staff."))
    return request.user.person


def _back(person, user) -> str:
    url = reverse("core:household")
    return url if person.pk == user.person_id else f"{url}?person={person.pk}"


@login_required
def household_list(request):
    person = _person(request)
    form = MemberForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            household.register_member(
                person, form.cleaned_data, by=request.user, key=form.cleaned_data["key"]
            )
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Household member registered."))
            return redirect(_back(person, request.user))
    members = list(HouseholdMember.objects.filter(person=person).order_by("-is_active", "id"))
    for m in members:
        m.shown = household.shown(m, request.user)
    return render(
        request,
        "core/household.html",
        {
            "person": person,
            "members": members,
            "form": form,
            "own": person.pk == request.user.person_id,
        },
    )


@login_required
def household_edit(request, pk: int):
    member = get_object_or_404(household.editable(request.user).select_related("person"), pk=pk)
    person = member.person
    back = _back(person, request.user)
    if request.method == "POST" and request.POST.get("action") == "deactivate":
        household.deactivate_member(member, by=request.user)
        messages.success(
            request, _("%(name)s is no longer listed in your household.") % {"name": member.name}
        )
        return redirect(back)
    initial = {n: getattr(member, n) for n in household.FIELDS}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household.update_member(member, form.cleaned_data, by=request.user)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    return render(
        request, "core/household_edit.html", {"member": member, "form": form, "back": back}
    )
