"""Sign-in pages around allauth's (core.accounts): a clear word for a used or expired code, and
the office's action that lifts a sign-in lock-out."""

from allauth.account import views as allauth_views
from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from allauth.account.stages import LoginByCodeStage, LoginStageController
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core import accounts
from headwater.core.errors import DomainError
from headwater.core.models import Person


def confirm_login_code(request):
    """allauth's code page; a code posted after it was used, or after it expired, is refused
    in words (allauth would only send the person back without saying why)."""
    if request.method == "POST" and not request.user.is_authenticated:
        stage = LoginStageController.enter(request, LoginByCodeStage.key)
        if stage is None or LoginCodeVerificationProcess.resume(stage) is None:
            messages.error(
                request,
                _("This code has expired or has already been used. Request a new code."),
            )
            return redirect("account_request_login_code")
    return allauth_views.confirm_login_code(request)


@login_required
@require_POST
def unlock_signin(request, pk: int):
    """The office lifts a sign-in lock-out on a person's login (person page)."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    try:
        was_locked = accounts.unlock_signin(accounts.signin_user_of(person), by=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("The sign-in lock was lifted.")
            if was_locked
            else _("This login was not locked; nothing to lift."),
        )
    return redirect("core:person", pk=pk)
