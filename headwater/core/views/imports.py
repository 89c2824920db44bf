"""The upload half of every spreadsheet-import page (core.importer; template import_page.html)."""

from collections.abc import Callable

from django.shortcuts import render
from django.utils.translation import gettext as _


def import_page(request, template: str, run: Callable) -> object:
    """Render `template`; on POST, `run(upload)` imports the file and its report is shown."""
    context = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["missing_file"] = _("Choose a file to upload.")
        else:
            context["report"] = run(upload)
            context["filename"] = upload.name
    return render(request, template, context)
