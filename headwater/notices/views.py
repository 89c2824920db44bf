"""Pages of the notices app: a person's own notices (phone), and for senders and unit heads
the notices they may follow, publishing, and each notice's receipts. Thin over services."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core.errors import DomainError
from headwater.core.views.generic import ScopedListView, xlsx_response
from headwater.notices import services
from headwater.notices.forms import PublishForm
from headwater.notices.inputs import PublishInput
from headwater.notices.models import Notice, Receipt, Reminder
from headwater.notices.permissions import PUBLISH, VIEW_RECEIPTS
from headwater.notices.querysets import totals

PAGE = 30


@login_required
def mine(request):
    """The user's notices, not yet done first."""
    page = Paginator(Receipt.objects.mine(request.user), PAGE).get_page(request.GET.get("page"))
    return render(request, "notices/mine.html", {"page": page})


def _own_receipt(request, pk: int) -> Receipt:
    return get_object_or_404(Receipt.objects.mine(request.user), notice_id=pk)


@login_required
def open_notice(request, pk: int):
    """One of the user's notices: opening it marks it read."""
    receipt = _own_receipt(request, pk)
    services.mark_read(receipt, by=request.user)
    return render(
        request,
        "notices/open.html",
        {"receipt": receipt, "notice": receipt.notice, "key": uuid.uuid4().hex},
    )


@login_required
@require_POST
def confirm(request, pk: int):
    receipt = _own_receipt(request, pk)
    try:
        done, _changed = services.confirm(
            receipt,
            by=request.user,
            answer=request.POST.get("answer"),
            key=request.POST.get("key", ""),
        )
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("notices:open", pk=pk)
    if done.acknowledged_at is None:  # a wrong answer: the page says so beside the question
        return redirect("notices:open", pk=pk)
    messages.success(request, _("Thank you: recorded."))
    return redirect("notices:mine")


class NoticeList(ScopedListView):
    """The notices the user follows: the ones they sent, and those reaching their units."""

    model = Notice
    permission_required = VIEW_RECEIPTS
    template_name = "notices/list.html"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_publish=self.request.user.has_perm(PUBLISH), **kwargs)


@login_required
@permission_required(PUBLISH, raise_exception=True)
def publish(request):
    form = PublishForm(request.POST or None, user=request.user, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            data = PublishInput.parse(form.data_for_input())
            notice, _created = services.publish(
                request.user.organization, data, by=request.user, key=form.cleaned_data["key"]
            )
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(
                request,
                _("Published to %(count)s people.") % {"count": notice.audience},
            )
            return redirect("notices:receipts", pk=notice.pk)
    return render(request, "notices/publish.html", {"form": form})


class ReceiptList(ScopedListView):
    """A notice's receipts within the user's reach: counts by unit (worst first), the people
    not done yet, remind, export every receipt."""

    model = Receipt
    permission_required = VIEW_RECEIPTS
    template_name = "notices/receipts.html"
    paginate_by = 100
    related = ("person", "unit")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(VIEW_RECEIPTS):
            notices = Notice.objects.visible_to(request.user)
            self.notice = get_object_or_404(notices, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return super().base_queryset().filter(notice=self.notice)

    def get_queryset(self):
        return self.base_queryset().pending().order_by("unit__path", "person__employee_no")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export(self.base_queryset())
        return super().get(request, *args, **kwargs)

    def export(self, rows):
        """Every receipt within reach, in tree order: plain tuples, not model instances (a
        notice to the whole organization exports 100,000 rows)."""
        header = [
            _("Unit"),
            _("Employee number"),
            _("Name"),
            _("Read at"),
            _("Acknowledged at"),
            _("Answer"),
            _("Correct"),
            _("Attempts"),
        ]
        values = rows.order_by("unit__path", "person__employee_no").values_list(
            "unit__name",
            "person__employee_no",
            "person__name",
            "read_at",
            "acknowledged_at",
            "answer",
            "correct",
            "attempts",
        )
        options, yes, no = self.notice.options, _("Yes"), _("No")

        def row(r) -> list:
            answer = options[r[5]] if r[5] is not None and r[5] < len(options) else ""
            correct = "" if r[6] is None else (yes if r[6] else no)
            return [r[0], r[1], r[2], _when(r[3]), _when(r[4]), answer, correct, r[7]]

        return xlsx_response(
            header,
            (row(r) for r in values.iterator(chunk_size=5000)),
            _("Receipts %(title)s") % {"title": self.notice.title[:40]},
            "receipts.xlsx",
        )

    def get_context_data(self, **kwargs):
        units = self.base_queryset().by_unit()
        return super().get_context_data(
            notice=self.notice,
            units=units,
            totals=totals(units),
            reminder=Reminder.objects.filter(notice=self.notice, sent_by=self.request.user)
            .order_by("-sent_at")
            .first(),
            window=int(services.REMIND_WINDOW.total_seconds() // 60),
            **kwargs,
        )


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@login_required
@require_POST
@permission_required(VIEW_RECEIPTS, raise_exception=True)
def remind(request, pk: int):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    reminder, sent = services.remind(notice, by=request.user)
    if sent:
        messages.success(
            request,
            _("Reminded %(count)s people who have not read it.") % {"count": reminder.recipients},
        )
    else:
        messages.info(
            request,
            _("Already reminded at %(time)s; a new reminder can go after %(minutes)s minutes.")
            % {
                "time": timezone.localtime(reminder.sent_at).strftime("%H:%M"),
                "minutes": int(services.REMIND_WINDOW.total_seconds() // 60),
            },
        )
    return redirect("notices:receipts", pk=pk)
