"""Roles on pages: a person's roles with grant and revoke, the list of grants, and the bulk
import of grants from a spreadsheet. The work and the rule "no wider than your own" are in
core.grants."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from headwater.core import grants
from headwater.core.errors import DomainError
from headwater.core.forms import Form
from headwater.core.importer import FORMATS
from headwater.core.models import Person, RoleGrant, Site, Unit, User
from headwater.core.roles import MANAGE_ROLES, Role
from headwater.core.views.generic import ScopedListView
from headwater.core.views.imports import import_page
from headwater.core.views.roster import file_response


class GrantForm(Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    # Read for a gate guard only (its unit is then the site's); ignored for other roles.
    site = forms.ChoiceField(label=gettext_lazy("Site (gate guard only)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in grants.grantable_roles(user)]
        units = [(str(pk), name) for pk, name in grants.unit_choices(user)]
        if grants.manages_organization(user):
            units.insert(0, ("", _("Whole organization")))
        self.fields["unit"].choices = units
        if grants.SITE_ROLES.isdisjoint(grants.grantable_roles(user)):
            del self.fields["site"]  # a unit head grants no guard
        else:
            self.fields["site"].choices = [("", "—")] + [
                (str(pk), name) for pk, name in grants.site_choices(user)
            ]


def person_roles(request, person: Person) -> dict:
    """The context the person page needs for its roles section."""
    user = request.user
    can_manage = user.has_perm(MANAGE_ROLES)
    has_login = User.objects.filter(person=person).exists()
    return {
        "roles": [
            (g, can_manage and grants.may_revoke(user, g))
            for g in grants.grants_shown(user, person)
        ],
        "has_login": has_login,
        "can_manage_roles": can_manage,
        "grant_form": GrantForm(user=user) if can_manage and has_login else None,
    }


@login_required
@permission_required(MANAGE_ROLES, raise_exception=True)
@require_POST
def person_grant(request, pk: int):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    form = GrantForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("core:person", pk=pk)
    role = form.cleaned_data["role"]
    unit_pk = form.cleaned_data["unit"]
    unit = None
    if unit_pk:
        unit = Unit.objects.filter(organization_id=request.user.organization_id, pk=unit_pk).first()
    site = None
    if role in grants.SITE_ROLES:
        # A guard is granted at the site chosen; the unit select does not apply.
        unit_pk = ""
        site_pk = form.cleaned_data.get("site")
        site = Site.objects.visible_to(request.user).filter(pk=site_pk).first() if site_pk else None
    try:
        grant, created = grants.grant(
            person, role, unit if unit_pk else None, site, by=request.user
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        if created:
            messages.success(request, _("Role granted: %(grant)s.") % {"grant": describe(grant)})
        else:
            messages.info(request, _("%(grant)s was granted already.") % {"grant": describe(grant)})
    return redirect("core:person", pk=pk)


@login_required
@permission_required(MANAGE_ROLES, raise_exception=True)
@require_POST
def grant_revoke(request, pk: int):
    grant = get_object_or_404(grants.visible_grants(request.user), pk=pk)
    person_id = grant.user.person_id
    try:
        grants.revoke(grant, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Role revoked: %(grant)s.") % {"grant": describe(grant)})
    if request.POST.get("back") == "person" and person_id:
        return redirect("core:person", pk=person_id)
    return redirect("core:grants")


def describe(grant: RoleGrant) -> str:
    if grant.site_id:
        where = grant.site.name
    else:
        where = grant.unit.name if grant.unit_id else _("whole organization")
    return f"{grant.get_role_display()} · {where}"


class GrantList(ScopedListView):
    """Every grant the viewer manages, filtered by role and unit; `?export=xlsx`."""

    model = RoleGrant
    permission_required = MANAGE_ROLES
    template_name = "core/grants/list.html"
    filters = {"role": "role", "unit": "unit_id", "site": "site_id"}
    export_name = gettext_lazy("Role grants")
    export_columns = [
        (gettext_lazy("employee number"), "employee_no"),
        (gettext_lazy("Name"), "person_name"),
        (gettext_lazy("Role"), "role"),
        (gettext_lazy("Unit"), "unit_name"),
        (gettext_lazy("Site"), "site_name"),
    ]

    def base_queryset(self):
        return (
            grants.visible_grants(self.request.user)
            .annotate(
                employee_no=F("user__person__employee_no"),
                person_name=F("user__person__name"),
                unit_name=F("unit__name"),
                site_name=F("site__name"),
            )
            .order_by("unit__path", "role", "user__person__employee_no", "pk")
        )

    def get_queryset(self):
        unit = self.request.GET.get("unit", "").strip()
        if unit and not unit.isdigit():
            return RoleGrant.objects.none()
        site = self.request.GET.get("site", "").strip()
        if site and not site.isdigit():
            return RoleGrant.objects.none()
        if self.request.GET.get("role", "") not in ("", *Role.values):
            return RoleGrant.objects.none()
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for g in context["object_list"]:
            g.can_revoke = grants.may_revoke(self.request.user, g)
        context |= {
            "role_choices": Role.choices,
            "units": grants.unit_choices(self.request.user),
            "role": self.request.GET.get("role", ""),
            "unit": self.request.GET.get("unit", ""),
            "sites": grants.site_choices(self.request.user),
            "site": self.request.GET.get("site", ""),
        }
        return context


@login_required
@permission_required(MANAGE_ROLES, raise_exception=True)
def grants_import(request):
    return import_page(
        request,
        "core/grants/import.html",
        lambda upload: grants.import_grants(
            request.user.organization, upload, upload.name, by=request.user
        ),
    )


@login_required
@permission_required(MANAGE_ROLES, raise_exception=True)
def grants_template(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose xlsx or csv."))
    return file_response(
        grants.grants_template(fmt), fmt, f"{_('Role grants')}.{fmt}", f"role-grants.{fmt}"
    )
