"""Builders for the passes tests: cards written directly (the services are tested on their
own), a guard, and a code in force as health writes it."""

import datetime as dt

import factory

from headwater.access.models import PassCard
from headwater.core import clock, codes
from headwater.core.tests.factories import make_user


class PassCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PassCard

    organization = factory.LazyAttribute(lambda o: o.person.organization)
    serial = factory.Sequence(lambda n: f"SER{n:09d}")
    expires_on = factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=365))


def make_guard(person, username="guard"):
    return make_user(username, person=person, roles=[("guard", None)])


def set_code(person, colour="green"):
    """A code in force, as health's recompute writes it."""
    from headwater.health.models import HealthCode

    HealthCode.objects.filter(person=person).update(is_current=False)
    code = HealthCode.objects.create(
        organization=person.organization,
        person=person,
        colour=colour,
        reason="测试",
        rule_set_version=1,
    )
    codes.announce_change([person.pk])
    return code
