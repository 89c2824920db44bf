"""Pages of the alerts app: the user's inbox and the office's group robots. Thin over services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from headwater.alerts import services
from headwater.alerts.forms import ChannelForm, CloseForm
from headwater.alerts.models import Delivery, InboxItem, WebhookChannel
from headwater.alerts.permissions import MANAGE_WEBHOOKS
from headwater.core.errors import DomainError

PAGE = 30
RECENT_DELIVERIES = 50


TABS = ("open", "handled")


@login_required
def inbox(request):
    """The user's inbox in two tabs: open alerts (not closed, acknowledged or not) and handled
    ones (closed), each with its count."""
    mine = InboxItem.objects.visible_to(request.user)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "open"
    counts = mine.aggregate(
        open=Count("pk", filter=Q(alert__closed_at__isnull=True)),
        handled=Count("pk", filter=Q(alert__closed_at__isnull=False)),
    )
    items = (mine.open() if tab == "open" else mine.handled()).newest_first()
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        items = items.unread()
    page = Paginator(items, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "tab": tab,
            "counts": counts,
            "close_form": CloseForm(),
        },
    )


def _own_item(request, pk: int) -> InboxItem:
    """One of the user's own inbox items (anybody else's is a 404, as in the inbox)."""
    return get_object_or_404(
        InboxItem.objects.visible_to(request.user).select_related("alert"), pk=pk
    )


def _back(request, tab: str = "open"):
    return redirect(f"{reverse('alerts:inbox')}?tab={tab}")


@login_required
@require_POST
def acknowledge(request, pk: int):
    item = _own_item(request, pk)
    try:
        _alert, changed = services.acknowledge(item.alert, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        if changed:
            messages.success(request, _("Acknowledged: the others it went to see you are on it."))
    return _back(request)


@login_required
def close(request, pk: int):
    """Close an alert with a note: the inbox's form posts here; an empty note (or a GET)
    shows this small page with the form."""
    item = _own_item(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _alert, changed = services.close(
                item.alert, by=request.user, note=form.cleaned_data["note"]
            )
        except DomainError as e:
            form.add_domain_error(e)
        else:
            if changed:
                messages.success(request, _("Alert closed."))
            return _back(request, "handled")
    return render(request, "alerts/close.html", {"item": item, "form": form})


@login_required
@require_POST
def open_item(request, pk: int):
    """Mark the item read and go where the alert says to act. A POST from the inbox (with its
    CSRF token), not a GET: a GET must change nothing, and link previews, prefetching browsers
    and crawlers that follow links would otherwise mark alerts read nobody has seen."""
    item = get_object_or_404(
        InboxItem.objects.visible_to(request.user).select_related("alert"), pk=pk
    )
    services.mark_read(request.user, [item.pk])
    link = item.alert.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("alerts:inbox")


@login_required
@require_POST
def read_all(request):
    n = services.mark_all_read(request.user)
    messages.success(
        request, ngettext("%(n)d alert marked read.", "%(n)d alerts marked read.", n) % {"n": n}
    )
    return redirect("alerts:inbox")


@login_required
@permission_required(MANAGE_WEBHOOKS, raise_exception=True)
def robots(request):
    return render(
        request,
        "alerts/robots.html",
        {
            "channels": WebhookChannel.objects.visible_to(request.user).select_related("unit"),
            "deliveries": Delivery.objects.visible_to(request.user)
            .select_related("alert", "channel")
            .order_by("-id")[:RECENT_DELIVERIES],
        },
    )


@login_required
@permission_required(MANAGE_WEBHOOKS, raise_exception=True)
def robot_edit(request, pk: int | None = None):
    if pk is None:
        channel = WebhookChannel(organization=request.user.organization)
    else:
        channel = get_object_or_404(WebhookChannel.objects.visible_to(request.user), pk=pk)
    form = ChannelForm(request.POST or None, instance=channel, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_channel(form.instance, by=request.user)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Saved."))
            return redirect("alerts:robots")
    return render(request, "alerts/robot_edit.html", {"form": form, "channel": channel})


@login_required
@permission_required(MANAGE_WEBHOOKS, raise_exception=True)
@require_POST
def robot_test(request, pk: int):
    channel = get_object_or_404(WebhookChannel.objects.visible_to(request.user), pk=pk)
    try:
        services.send_test(channel, by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, _("Test message queued; its delivery shows below within a minute.")
        )
    return redirect("alerts:robots")
