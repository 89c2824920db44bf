"""Isolation pages: the case list (office, unit heads), a case's page with its timeline and
actions, opening a case (by hand or from a follow-up item), the list import, the monitor's
phone page and the service card. Thin: reads through `visible_to`, writes through services."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import clock, inputs
from headwater.core.downloads import attachment
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person, RoleGrant
from headwater.core.roles import Role
from headwater.core.views.generic import ScopedListView
from headwater.core.views.imports import import_page
from headwater.health.models import FollowUp
from headwater.isolation import imports, services
from headwater.isolation.card import service_card
from headwater.isolation.choices import CaseKind, CaseState
from headwater.isolation.forms import CheckForm, ExtendForm, OpenCaseForm
from headwater.isolation.inputs import CaseInput, CheckInput
from headwater.isolation.models import Case, CaseCheck
from headwater.isolation.permissions import MANAGE_CASES, VIEW_CASES
from headwater.isolation.services.common import is_office

RELATED = ("person", "household_member", "unit", "monitor", "volunteer")
HELPERS = 200
ITEMS = 30  # open follow-up items offered on the open-case page


class CaseList(ScopedListView):
    model = Case
    permission_required = VIEW_CASES
    template_name = "isolation/list.html"
    related = RELATED
    filters = {"state": "state", "kind": "kind", "unit": "unit_id"}
    export_name = gettext_lazy("Isolation cases")
    export_columns = [
        (gettext_lazy("Name"), "subject_name"),
        (gettext_lazy("Unit"), "unit"),
        (gettext_lazy("Kind of isolation"), "kind"),
        (gettext_lazy("State"), "state"),
        (gettext_lazy("Reason"), "reason"),
        (gettext_lazy("Isolated from"), "started_on"),
        (gettext_lazy("Planned end"), "planned_end"),
        (gettext_lazy("Monitor"), "monitor"),
        (gettext_lazy("Volunteer"), "volunteer"),
    ]

    def get_queryset(self):
        qs = super().get_queryset().with_checked_on(clock.today())
        if self.request.GET.get("overdue"):
            qs = qs.filter(checked=False, state=CaseState.OPEN, started_on__lte=clock.today())
        return qs.order_by("-opened_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            counts=Case.objects.visible_to(user).counts(clock.today()),
            states=CaseState.choices,
            kinds=CaseKind.choices,
            may_manage=user.has_perm(MANAGE_CASES),
            params=self.request.GET,
        )
        return context


def _case(request, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(*RELATED, "organization"), pk=pk
    )


def _refused(request, e: DomainError) -> None:
    if isinstance(e, NotAllowed):
        raise PermissionDenied(e.message)
    messages.error(request, " ".join([e.message, *e.fields.values()]))


@login_required
def case_page(request, pk: int):
    """Details, timeline, follow-ups and the actions the user may take."""
    case = _case(request, pk)
    if request.method == "POST":
        return _act(request, case)
    user = request.user
    checks = list(CaseCheck.objects.filter(case=case).select_related("recorded_by__person")[:60])
    events = case.events.select_related("actor__person")
    office = is_office(user, case.organization_id)
    return render(
        request,
        "isolation/case.html",
        {
            "case": case,
            "checks": checks,
            "events": events,
            "office": office,
            "monitor": user.person_id and user.person_id == case.monitor_id,
            "extend_form": ExtendForm(initial={"planned_end": case.planned_end}),
            "blocker": services.release_blocker(case) if case.is_open else None,
            "household": case.household_isolated.all(),
            "helpers": _helpers(case.person) if office and case.is_open else [],
        },
    )


def _act(request, case: Case):
    action = request.POST.get("action")
    user, post = request.user, request.POST
    try:
        if action == "extend":
            form = ExtendForm(post)
            if not form.is_valid():
                messages.error(request, _("Please correct the marked fields."))
                return redirect("isolation:case", case.pk)
            data = form.cleaned_data
            services.extend(case, data["planned_end"], data["reason"], by=user)
            messages.success(request, _("The isolation was extended."))
        elif action == "assign":
            people = Person.objects.visible_to(user)
            monitor = people.filter(pk=_int(post.get("monitor"))).first()
            volunteer = people.filter(pk=_int(post.get("volunteer"))).first()
            services.assign(case, monitor, volunteer, by=user)
            messages.success(request, _("Monitor and volunteer saved."))
        elif action == "propose":
            services.propose_release(case, by=user, note=post.get("note", ""))
            messages.success(request, _("Release proposed to the office."))
        elif action == "approve":
            services.approve_release(case, by=user, override=post.get("override", ""))
            messages.success(request, _("Released from isolation."))
        elif action == "refuse":
            services.refuse_release(case, post.get("note", ""), by=user)
            messages.success(request, _("The release was refused."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except DomainError as e:
        _refused(request, e)
    return redirect("isolation:case", case.pk)


def _helpers(person: Person):
    """Who may monitor or volunteer: the person's unit and the organization's monitors."""
    monitors = RoleGrant.objects.filter(
        role=Role.MONITOR, user__person__organization_id=person.organization_id
    ).values("user__person_id")
    return (
        Person.objects.filter(organization_id=person.organization_id)
        .active()
        .filter(Q(unit_id=person.unit_id) | Q(pk__in=monitors))
        .order_by("employee_no")[:HELPERS]
    )


@login_required
@permission_required(MANAGE_CASES, raise_exception=True)
def open_case(request):
    """Find the person (?q=), then open their case (?person=<pk>), or open one from a health
    follow-up item (?followup=<pk>, person and reason prefilled)."""
    people = Person.objects.visible_to(request.user)
    item = None
    if fid := request.GET.get("followup"):
        item = get_object_or_404(
            FollowUp.objects.visible_to(request.user).select_related("person__organization"),
            pk=_int(fid),
        )
    pid = item.person_id if item else _int(request.GET.get("person"))
    person = get_object_or_404(people.select_related("unit"), pk=pid) if pid else None
    q = request.GET.get("q", "").strip()
    found = people.active().filter(employee_no=q) | people.active().filter(name=q) if q else []
    form = None
    if person:
        initial = {
            "started_on": clock.today(),
            "kind": CaseKind.HOME,
            "reason": item.reason if item else "",
        }
        form = OpenCaseForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            person=person,
            helpers=_helpers(person),
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data, person_id=person.pk)
            try:
                parsed = CaseInput.parse(data, request.user.organization)
                if item:
                    case, _c = services.open_from_follow_up(item, parsed, by=request.user)
                else:
                    case, _c = services.open_case(
                        request.user.organization, parsed, by=request.user
                    )
            except NotAllowed as e:
                raise PermissionDenied(e.message) from e
            except DomainError as e:
                form.add_domain_error(e)
            else:
                messages.success(request, _("Isolation case opened."))
                return redirect("isolation:case", case.pk)
    items = []
    if person is None:
        items = (
            FollowUp.objects.visible_to(request.user)
            .filter(closed_at=None)
            .select_related("person__unit")
            .order_by("opened_at", "id")[:ITEMS]
        )
    context = {"q": q, "found": list(found)[:20], "person": person, "item": item, "form": form}
    return render(request, "isolation/open.html", context | {"items": items})


_int = inputs.id_value  # the one id reader (core.inputs)


@login_required
@permission_required(MANAGE_CASES, raise_exception=True)
def import_cases(request):
    fmt = request.GET.get("template")
    if fmt is not None:
        if fmt not in ("xlsx", "csv"):
            return HttpResponseBadRequest(_("Choose xlsx or csv."))
        types = {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "csv": "text/csv",
        }
        response = HttpResponse(imports.template(fmt), content_type=types[fmt])
        return attachment(response, f"{_('Isolation list')}.{fmt}", f"isolation-list.{fmt}")
    return import_page(
        request,
        "isolation/import.html",
        lambda upload: services.import_cases(
            request.user.organization, upload, upload.name, by=request.user
        ),
    )


@login_required
def today(request):
    """The monitor's phone page: today's due follow-ups first, then those done."""
    if not request.user.person_id:
        raise Http404
    day = clock.today()
    cases = list(
        Case.objects.open()
        .filter(monitor_id=request.user.person_id, organization_id=request.user.organization_id)
        .select_related("person", "household_member", "unit")
        .with_checked_on(day)
        .order_by("checked", "planned_end", "id")
    )
    due = [c for c in cases if not c.checked]
    done = [c for c in cases if c.checked]
    return render(request, "isolation/today.html", {"due": due, "done": done, "day": day})


@login_required
def record_check(request, pk: int):
    """The monitor's follow-up form for one case (phone)."""
    case = _case(request, pk)
    form = CheckForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            data = CheckInput.parse(form.cleaned_data)
            services.record_check(case, data, by=request.user, key=form.cleaned_data["key"])
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("isolation:today")
    last = CaseCheck.objects.filter(case=case).first()
    return render(request, "isolation/check.html", {"case": case, "form": form, "last": last})


@login_required
def my_card(request):
    """The isolated person's own service card (their open case)."""
    case = (
        Case.objects.open()
        .filter(person_id=request.user.person_id or 0, household_member=None)
        .select_related(*RELATED, "organization")
        .first()
    )
    if case is None:
        raise Http404(_("You are not in isolation."))
    return render(request, "isolation/card.html", {"card": service_card(case), "own": True})


@login_required
def case_card(request, pk: int):
    """A case's printable service card (the office, the case's people)."""
    case = _case(request, pk)
    user = request.user
    if not (
        is_office(user, case.organization_id) or user.person_id in (case.person_id, case.monitor_id)
    ):
        raise PermissionDenied(_("Only the office and the case's own people see the service card."))
    return render(request, "isolation/card.html", {"card": service_card(case), "own": False})
