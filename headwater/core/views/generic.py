"""Generic pages, so that a capability's list and edit pages are a few declarations (as
NetBox's generic views are):

    class LimitList(ScopedListView):
        model = InternalLimit
        permission_required = VIEW
        template_name = "quality/limit_list.html"
        filters = {"indicator": "indicator"}
        export_columns = [(_("Indicator"), "indicator"), (_("Maximum"), "maximum")]

    class LimitEdit(ServiceFormView):
        form_class = InternalLimitForm
        permission_required = MANAGE_LIMITS
        template_name = "quality/limit_edit.html"
        success_url = reverse_lazy("quality:limits")
        success_message = _("Internal limit saved.")

        def save(self, form):
            return services.save_internal_limit(form.save(commit=False), by=self.request.user)

The list is always `Model.objects.visible_to(user)` (never a hand-written organization
filter); `?export=xlsx` downloads the filtered rows. The edit page calls one service and shows
its DomainError beside the fields (`forms.DomainErrorMixin`); templates lay the fields out with
`partials/fields.html`.
"""

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, ListView

from headwater.core.downloads import attachment
from headwater.core.errors import DomainError


class ScopedListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    # As login_required + permission_required(raise_exception=True) on function pages: an
    # anonymous visitor goes to the login page, a user without the permission gets 403
    # (AccessMixin refuses an authenticated user whatever raise_exception says).
    raise_exception = False
    paginate_by = 50
    filters: dict[str, str] = {}  # query parameter -> queryset lookup
    export_columns: list[tuple[str, str]] = []  # (column heading, attribute)
    export_name = ""  # the file's name in the user's language; the model's plural by default
    related: tuple[str, ...] = ()

    def base_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        return qs.select_related(*self.related) if self.related else qs

    def get_queryset(self):
        qs = self.base_queryset()
        for param, lookup in self.filters.items():
            value = self.request.GET.get(param, "").strip()
            if value:
                qs = qs.filter(**{lookup: value})
        return qs

    def get(self, request, *args, **kwargs):
        if self.export_columns and request.GET.get("export") == "xlsx":
            return self.export(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def export(self, rows) -> HttpResponse:
        return xlsx_response(
            [label for label, _attr in self.export_columns],
            (
                [_cell(row, attr) for _label, attr in self.export_columns]
                for row in rows.iterator(chunk_size=1000)
            ),
            str(self.export_name or self.model._meta.verbose_name_plural),
            f"{self.model._meta.model_name}.xlsx",
        )


def xlsx_response(header, rows, name: str, fallback: str = "export.xlsx") -> HttpResponse:
    """A one-sheet workbook download: the header row, then `rows` (lists of cells), named
    `name`.xlsx. A page whose rows are not a queryset (a summary such as the health overview)
    exports through this too."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([str(label) for label in header])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return attachment(response, f"{name}.xlsx", fallback)


def _cell(row, attr: str):
    display = getattr(row, f"get_{attr}_display", None)
    value = display() if display else getattr(row, attr, "")
    if value is None:
        return ""
    return value if isinstance(value, (int, float, str)) else str(value)


class ServiceFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """A create or edit page: `save(form)` calls one service; a DomainError is shown on the
    form's fields and nothing is saved."""

    raise_exception = False  # see ScopedListView
    success_message = ""

    def save(self, form):  # pragma: no cover - interface
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.saved = self.save(form)
        except DomainError as e:
            form.add_domain_error(e)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())
