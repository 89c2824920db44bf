"""Building the demo organization in a capability's test with only that capability's demo
extension (and a fast password hasher): `demo_with(settings, monkeypatch, build, staff=300)`."""

from io import StringIO

from django.core.management import call_command

from headwater.core import demo
from headwater.core.models import Organization


def demo_with(settings, monkeypatch, *extensions, staff: int = 300) -> Organization:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(demo, "EXTENSIONS", list(extensions))
    call_command("demo", "--staff", str(staff), "--history-days", "2", stdout=StringIO())
    return Organization.objects.get(slug=demo.SLUG)
