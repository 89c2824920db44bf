"""Logins from the roster and their activation (core.logins): the office's and unit heads'
page, the activation sheet (PDF), codes by SMS, and `/activate/<code>/` for the person."""

import re

from allauth.account.internal.flows.login import perform_login
from allauth.account.models import Login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core import clock, downloads, logins
from headwater.core.downloads import attachment
from headwater.core.errors import DomainError
from headwater.core.models import Person, Unit, User

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _require(request) -> None:
    if not request.user.has_perm(logins.MANAGE_LOGINS):
        raise PermissionDenied


def _unit(request, pk: int) -> Unit:
    return get_object_or_404(logins.units_for(request.user), pk=pk)


def _person(request, pk: int) -> Person:
    people = Person.objects.filter(unit__in=logins.units_for(request.user))
    return get_object_or_404(people.select_related("unit"), pk=pk)


@login_required
def overview(request):
    """The units whose logins the user manages: people, logins, awaiting activation."""
    _require(request)
    units = list(logins_units(request.user))
    counts = logins.unit_counts(units, request.user.organization_id)
    rows = [{"unit": u, "indent": u.depth - 1, **counts[u.pk]} for u in units]
    return render(
        request,
        "core/logins/units.html",
        {
            "rows": rows,
            "org_wide": request.user.is_superuser or logins.unit_scope_org_wide(request.user),
        },
    )


def logins_units(user):
    return logins.units_for(user).order_by("path")


@login_required
@require_POST
def create(request):
    """Create the logins of a unit subtree (`unit`) or of everyone (`unit` empty: office)."""
    _require(request)
    unit_pk = request.POST.get("unit", "")
    unit = None
    if unit_pk:
        if not unit_pk.isdigit():
            messages.error(request, _("Choose a unit."))
            return redirect("core:logins")
        unit = _unit(request, int(unit_pk))
    try:
        report = logins.create_logins(request.user.organization, unit, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("core:logins")
    return render(request, "core/logins/created.html", {"report": report, "unit": unit})


@login_required
def unit_logins(request, pk: int):
    """The people of a unit subtree and the state of their logins."""
    _require(request)
    unit = _unit(request, pk)
    page = Paginator(
        Person.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit", "user")
        .order_by("unit__path", "employee_no"),
        100,
    ).get_page(request.GET.get("page"))
    people = list(page)
    waiting = set(
        logins.not_activated(User.objects.filter(person__in=people)).values_list("pk", flat=True)
    )
    rows = []
    for p in people:
        user = getattr(p, "user", None)
        if user is None:
            state = _("No login")
        elif not user.is_active:
            state = _("Disabled")
        elif user.pk in waiting:
            state = _("Awaiting activation")
        else:
            state = _("Activated")
        rows.append(
            {"person": p, "user": user, "state": state, "waiting": user and user.pk in waiting}
        )
    return render(request, "core/logins/unit.html", {"unit": unit, "rows": rows, "page": page})


@login_required
@require_POST
def sheet(request, pk: int):
    """The unit's activation sheet as a PDF: a slip per person awaiting activation, with a QR
    code of the activation link. Issues fresh codes (older unused ones stop working)."""
    _require(request)
    unit = _unit(request, pk)
    try:
        rows, expires = logins.activation_sheet(unit, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("core:logins")
    if not rows:
        messages.info(request, _("Nobody in this unit is awaiting activation."))
        return redirect("core:logins_unit", pk=pk)
    pdf = render_sheet(unit, rows, expires)
    day = clock.now().date().isoformat()
    return attachment(
        HttpResponse(pdf, content_type="application/pdf"),
        _("Activation sheet %(unit)s %(day)s.pdf") % {"unit": unit.name, "day": day},
        f"activation-sheet-{re.sub(r'[^A-Za-z0-9._-]', '_', unit.code)}-{day}.pdf",
    )


def sheet_html(unit: Unit, rows, expires) -> str:
    from django.template.loader import render_to_string

    for row in rows:
        row.qr = downloads.qr_data_uri(row.url)
    return render_to_string(
        "core/logins/sheet.html",
        {"unit": unit, "rows": rows, "expires": expires, "now": clock.now()},
    )


def render_sheet(unit: Unit, rows, expires) -> bytes:
    return downloads.pdf(sheet_html(unit, rows, expires))


@login_required
@require_POST
def unit_sms(request, pk: int):
    _require(request)
    unit = _unit(request, pk)
    try:
        report = logins.send_codes_by_sms(by=request.user, unit=unit)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("Activation codes sent by SMS: %(sent)s. Without a mobile number: %(none)s.")
            % {"sent": report.sent, "none": len(report.no_phone)},
        )
    return redirect("core:logins_unit", pk=pk)


@login_required
@require_POST
def person_code(request, pk: int):
    """A new code for one member (unit head, office), shown once with its QR code; audited."""
    _require(request)
    person = _person(request, pk)
    try:
        issued = logins.reissue(person, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("core:logins_unit", pk=person.unit_id)
    return render(
        request,
        "core/logins/code.html",
        {"person": person, "issued": issued, "qr": downloads.qr_data_uri(issued.url)},
    )


@login_required
@require_POST
def person_sms(request, pk: int):
    _require(request)
    person = _person(request, pk)
    try:
        logins.send_codes_by_sms(by=request.user, person=person)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, _("A new activation code was sent to %(name)s by SMS.") % {"name": person.name}
        )
    return redirect("core:logins_unit", pk=person.unit_id)


# --- the person: activation ------------------------------------------------------------------


def activate(request, token: str):
    """GET: who the code is for and a button (a link preview must not use up the code);
    POST: use the code, sign in through allauth, and choose a password."""
    code = logins.find(token)
    refusal = logins.refusal(code)
    if request.method == "POST" and refusal is None:
        try:
            user = logins.consume(token)
        except DomainError as e:
            refusal = e.message
        else:
            next_url = reverse("account_set_password") + "?next=" + reverse("home")
            return perform_login(request, Login(user=user, redirect_url=next_url))
    status = 200 if refusal is None else 410
    return render(
        request,
        "core/logins/activate.html",
        {
            "refusal": refusal,
            "name": code.user.person.name if refusal is None else "",
            "token": token,
        },
        status=status,
    )


def activate_by_code(request):
    """A code typed by hand (from an SMS or a slip without a camera)."""
    code = request.GET.get("code", "").strip()
    if code and _TOKEN.match(code):
        return redirect("activate", token=code)
    refusal = logins.refusal(None) if code else None
    return render(
        request,
        "core/logins/activate.html",
        {"ask": True, "refusal": refusal},
        status=410 if refusal else 200,
    )
