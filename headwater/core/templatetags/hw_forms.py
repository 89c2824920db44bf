"""`{{ form|styled }}`: a form whose widgets carry their Bootstrap classes (core.forms.style), for
forms that a library builds (allauth's sign-in pages)."""

from django import template

from headwater.core.forms import style

register = template.Library()


@register.filter
def styled(form):
    if form is not None and hasattr(form, "fields"):
        style(form)
    return form
