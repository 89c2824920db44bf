"""People, units and sites pages: lists scoped to the viewer, personal data masked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core import audit, audit_display, privacy, services
from headwater.core.errors import DomainError
from headwater.core.forms import PeopleFilter, PersonForm
from headwater.core.models import Person, Site, Unit
from headwater.core.querysets import reaches
from headwater.core.roles import (
    CHANGE_PERSON,
    UNLOCK_SIGNIN,
    VIEW_PERSON,
    VIEW_PERSONAL_DATA,
    VIEW_UNIT,
)
from headwater.core.views.grants import person_roles


def _people(request):
    return Person.objects.visible_to(request.user).select_related("unit")


@login_required
@permission_required(VIEW_PERSON, raise_exception=True)
def people(request):
    qs = Person.objects.visible_to(request.user).select_related("unit")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(employee_no=q)
    unit_pk = PeopleFilter(request.GET).values(request).get("unit")
    if unit_pk:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_pk)
        qs = qs.filter(unit__path__startswith=unit.path)
    if request.GET.get("critical"):
        qs = qs.filter(is_critical=True)
    page = Paginator(qs.order_by("employee_no"), 50).get_page(request.GET.get("page"))
    for p in page:
        p.masked = privacy.masked(p)
    return render(request, "core/people.html", {"page": page, "q": q})


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(_people(request), pk=pk)
    return render(
        request,
        "core/person.html",
        {
            "person": person,
            "masked": privacy.masked(person),
            "can_reveal": request.user.has_perm(VIEW_PERSONAL_DATA),
            "can_edit": request.user.has_perm(CHANGE_PERSON),
            "can_unlock": request.user.has_perm(UNLOCK_SIGNIN),
            "qualifications": person.qualifications.all(),
            **person_roles(request, person),
        },
    )


@login_required
@require_POST
def person_reveal(request, pk: int):
    person = get_object_or_404(_people(request), pk=pk)
    try:
        revealed = privacy.reveal(request.user, person, purpose=request.POST.get("purpose", ""))
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("core:person", pk=pk)
    return render(
        request,
        "core/person.html",
        {
            "person": person,
            "masked": revealed,
            "revealed": True,
            "can_edit": request.user.has_perm(CHANGE_PERSON),
            "qualifications": person.qualifications.all(),
        },
    )


@login_required
@permission_required(CHANGE_PERSON, raise_exception=True)
def person_edit(request, pk: int):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_person(form.instance, by=request.user)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Saved."))
            return redirect("core:person", pk=pk)
    history = list(audit.history(person)[:20])
    audit_display.describe(history, request.user.organization)
    return render(
        request, "core/person_edit.html", {"form": form, "person": person, "history": history}
    )


@login_required
@permission_required(VIEW_UNIT, raise_exception=True)
def units(request):
    """The units in scope. Head counts and the link to a unit's people only where the user may
    see that unit's people: a role that sees units but not people (quality, dispatcher …) gets
    the tree alone, never a count of 0 or a link to a refused list."""
    user = request.user
    visible = Unit.objects.visible_to(user).order_by("path")
    can_list = user.has_perm(VIEW_PERSON)
    counts = dict(
        Person.objects.visible_to(user)
        .active()
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
        if can_list
        else ()
    )
    rows = [
        {
            "unit": u,
            "indent": u.depth - 1,
            "people": counts.get(u.pk, 0) if can_list and reaches(user, VIEW_PERSON, u) else None,
        }
        for u in visible
    ]
    return render(request, "core/units.html", {"rows": rows, "show_people": can_list})


@login_required
def sites(request):
    qs = Site.objects.visible_to(request.user).select_related("unit")
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    return render(request, "core/sites.html", {"sites": qs, "kind": kind})
