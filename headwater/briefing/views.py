"""Pages of the briefing app: the archive, one briefing (any version), its downloads, and the
office's generate and send. Thin over services."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.briefing import document, files, services
from headwater.briefing.forms import GenerateForm
from headwater.briefing.models import Briefing
from headwater.briefing.permissions import GENERATE_BRIEFING, VIEW_BRIEFING
from headwater.core import clock

PAGE = 30


@permission_required(VIEW_BRIEFING, raise_exception=True)
def archive(request):
    """The briefings by day, newest first: each day's latest version and how many there are."""
    latest = (
        Briefing.objects.visible_to(request.user)
        .latest_versions()
        .with_version_counts()
        .order_by("-day")
        .defer("content")
    )
    page = Paginator(latest, PAGE).get_page(request.GET.get("page"))
    form = GenerateForm(initial={"day": clock.today() - services.ONE_DAY})
    return render(request, "briefing/archive.html", {"page": page, "form": form})


def _briefing(request, pk: int) -> Briefing:
    return get_object_or_404(Briefing.objects.visible_to(request.user), pk=pk)


@permission_required(VIEW_BRIEFING, raise_exception=True)
def detail(request, pk: int):
    """One version of a day's briefing in the page's language, with the day's versions, what
    changed since the previous one, and (for the office) how it was sent."""
    briefing = _briefing(request, pk)
    lang = document.language()
    versions = (
        Briefing.objects.visible_to(request.user)
        .filter(kind=briefing.kind, day=briefing.day)
        .order_by("-version")
        .only("pk", "version", "generated_at", "is_latest", "generated_by__username")
        .select_related("generated_by")
    )
    context = {
        "briefing": briefing,
        "doc": briefing.doc(lang),
        "language": lang,
        "versions": versions,
        "dispatches": briefing.dispatches.order_by("created_at", "pk"),
        "formats": files.LABELS.items(),
    }
    return render(request, "briefing/detail.html", context)


@permission_required(VIEW_BRIEFING, raise_exception=True)
def download(request, pk: int, fmt: str):
    if fmt not in files.FORMATS:
        raise Http404
    return files.response(_briefing(request, pk).doc(document.language()), fmt)


@require_POST
@permission_required(GENERATE_BRIEFING, raise_exception=True)
def generate(request):
    """Generate (or regenerate) the briefing of a day; a new version only if it changed."""
    form = GenerateForm(request.POST)
    if form.is_valid():
        result = form.call(
            services.generate, request.user.organization, form.cleaned_data["day"], by=request.user
        )
        if result is not None:
            briefing, created = result
            if created:
                messages.success(request, _("Version %(n)s generated.") % {"n": briefing.version})
            else:
                messages.info(request, _("Nothing changed since the latest version."))
            return redirect("briefing:detail", briefing.pk)
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    return redirect("briefing:archive")


@require_POST
@permission_required(GENERATE_BRIEFING, raise_exception=True)
def send(request, pk: int):
    """Send this version to the group robots and the e-mail recipients (once per channel)."""
    briefing = _briefing(request, pk)
    made = services.distribute(briefing, by=request.user)
    if made:
        messages.success(request, _("This version is being sent."))
    else:
        messages.info(request, _("This version was already sent."))
    return redirect("briefing:detail", briefing.pk)
