"""The office's devices page: the device tokens, enrolling one (its token shown once), revoking
one. The work is in core.devices."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from headwater.core import devices
from headwater.core.errors import DomainError
from headwater.core.forms import Form
from headwater.core.models import Site
from headwater.core.roles import MANAGE_DEVICES


class EnrolForm(Form):
    name = forms.CharField(label=gettext_lazy("Device name"), max_length=devices.NAME_MAX)
    site = forms.ModelChoiceField(
        label=gettext_lazy("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=gettext_lazy("No site"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user).order_by("name")


@login_required
@permission_required(MANAGE_DEVICES, raise_exception=True)
def device_list(request):
    form = EnrolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            device, raw = devices.enrol(
                request.user.organization,
                form.cleaned_data["name"],
                form.cleaned_data["site"],
                by=request.user,
            )
        except DomainError as e:
            form.add_domain_error(e)
        else:
            # The one time the token is shown: rendered, never redirected to or stored.
            response = render(request, "core/devices/enrolled.html", {"device": device, "raw": raw})
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "core/devices/list.html",
        {"devices": devices.visible_devices(request.user), "form": form},
    )


@login_required
@permission_required(MANAGE_DEVICES, raise_exception=True)
@require_POST
def device_revoke(request, pk: int):
    device = get_object_or_404(devices.visible_devices(request.user), pk=pk)
    if devices.revoke(device, by=request.user):
        messages.success(request, _("Device %(name)s revoked.") % {"name": device.name})
    else:
        messages.info(request, _("Device %(name)s was revoked already.") % {"name": device.name})
    return redirect("core:devices")
