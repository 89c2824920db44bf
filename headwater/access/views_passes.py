"""Passes pages: "my pass" on a member of staff's phone (name, unit, code colour, today's meal
slot and a QR code renewed in place by access-passes.js), the office's printed cards (filter,
issue, revoke, print as PDF) and signing keys (rotate, retire). Thin: reads through
`visible_to`, writes through services/passes.py."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from headwater.access import dining
from headwater.access.api_passes import token_answer
from headwater.access.inputs_passes import CardInput, card_ids
from headwater.access.models import PassCard, SigningKey
from headwater.access.permissions import MANAGE_GATES, OWN_PASS
from headwater.access.printing_passes import pdf_response
from headwater.access.reads_passes import STATES, cards_queryset
from headwater.access.services import passes
from headwater.core import clock, codes
from headwater.core.errors import DomainError, NotAllowed

PAGE = 50


def _run(request, write, done: str) -> bool:
    """Call a service; its refusal becomes a message (a NotAllowed: the 403 page)."""
    try:
        write()
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, " ".join(dict.fromkeys([e.message, *e.fields.values()])))
        return False
    messages.success(request, done)
    return True


@login_required
@never_cache
def my_pass(request):
    """The member of staff's pass: who, their code, today's slot and the renewing QR code."""
    if not request.user.has_perm(OWN_PASS):
        raise PermissionDenied(_("Your role may not do this."))
    if not request.user.person_id:
        raise Http404(_("Your login is not linked to a member of staff."))
    person = request.user.person
    answer = token_answer(person)
    context = {
        "person": person,
        "code": codes.current(person),
        "slot": dining.slot_for(person, clock.today()),
        "answer": answer,
        "pass_data": {
            "url": reverse("api:my_pass"),
            "expires_at": answer["expires_at"].isoformat(),
            "seconds_left": answer["seconds_left"],
            "seconds": answer["seconds"],
            "texts": {
                "left": _("Changes in %(n)s s"),
                "offline": _("Offline — this code stops working in %(n)s s"),
                "expired": _("Offline — this code no longer works: connect to get a new one"),
            },
        },
    }
    return render(request, "access/passes_mine.html", context)


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def cards(request):
    """Printed cards: filter, issue one for a member of staff, revoke with a reason, print."""
    if request.method == "POST":
        return _card_action(request)
    q = request.GET.get("q", "").strip()[:50]
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    page = Paginator(cards_queryset(request.user, q, state), PAGE).get_page(request.GET.get("page"))
    rows = [{"card": c, "state": passes.card_state(c)} for c in page]
    return render(
        request,
        "access/passes_cards.html",
        {
            "rows": rows,
            "page": page,
            "q": q,
            "state": state,
            "states": STATE_LABELS(),
            # a new key each time the form is shown: a double submit issues one card
            "issue_key": uuid.uuid4().hex,
        },
    )


def STATE_LABELS() -> list[tuple[str, str]]:  # noqa: N802 (labels in the request's language)
    return [
        ("active", pgettext("pass card", "Valid")),
        ("revoked", pgettext("pass card", "Revoked")),
        ("expired", pgettext("pass card", "Expired")),
    ]


def _card_action(request):
    action = request.POST.get("action")
    back = redirect(f"{request.path}?{request.GET.urlencode()}")
    if action == "issue":
        try:
            data = CardInput.parse(request.POST, request.user)
        except DomainError as e:
            messages.error(request, " ".join(dict.fromkeys([e.message, *e.fields.values()])))
            return back
        _run(
            request,
            lambda: passes.issue_card(
                data.person,
                by=request.user,
                key=request.POST.get("key", ""),
                expires_on=data.expires_on,
            ),
            _("A card was issued to %(name)s; a previous card of theirs no longer passes.")
            % {"name": data.person.name},
        )
        return back
    if action == "revoke":
        card = get_object_or_404(PassCard.objects.visible_to(request.user), pk=_int(request))
        _run(
            request,
            lambda: passes.revoke_card(card, request.POST.get("reason", ""), by=request.user),
            _("Card %(serial)s revoked: scanners refuse it from their next sync.")
            % {"serial": card.serial},
        )
        return back
    return HttpResponseBadRequest(_("Unknown action."))


def _int(request, name: str = "card") -> int:
    ids = card_ids([request.POST.get(name)])
    if not ids:
        raise Http404
    return ids[0]


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def card_pdf(request, pk: int):
    card = get_object_or_404(
        PassCard.objects.visible_to(request.user).select_related("person__unit"), pk=pk
    )
    return pdf_response([card], request.user.organization)


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def cards_pdf(request):
    """The chosen cards (`?card=1&card=2`) in one PDF; revoked ones are left out."""
    ids = card_ids(request.GET.getlist("card"))
    chosen = list(
        cards_queryset(request.user)
        .filter(pk__in=ids, revoked_at__isnull=True)
        .order_by("person__unit__path", "person__employee_no")
    )
    if not chosen:
        messages.error(request, _("Choose the cards to print (revoked cards are not printed)."))
        return redirect("access:pass_cards")
    return pdf_response(chosen, request.user.organization)


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def keys(request):
    """The signing keys: rotate (a new key signs), retire an old one (what it signed stops
    passing)."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rotate":
            _run(
                request,
                lambda: passes.rotate_key(request.user.organization, by=request.user),
                _("A new key signs passes from now on; the earlier keys verify until retired."),
            )
        elif action == "retire":
            key = get_object_or_404(
                SigningKey.objects.visible_to(request.user), pk=_int(request, "key")
            )
            _run(
                request,
                lambda: passes.retire_key(key, by=request.user),
                _("Key %(key)s retired: what it signed no longer passes.") % {"key": key.key_id},
            )
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        return redirect("access:signing_keys")
    rows = SigningKey.objects.visible_to(request.user).order_by("-created_at", "-pk")
    return render(request, "access/passes_keys.html", {"rows": rows})
