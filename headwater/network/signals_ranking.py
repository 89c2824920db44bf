"""A change to the critical-customer registry asks for the current model's ranking again
(the periodic task in tasks_ranking recomputes it within a minute). Connected from apps.py."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from headwater.network.models import CriticalCustomer
from headwater.network.services import ranking


@receiver(post_save, sender=CriticalCustomer, dispatch_uid="network.ranking.customer_saved")
@receiver(post_delete, sender=CriticalCustomer, dispatch_uid="network.ranking.customer_deleted")
def customer_changed(sender, instance: CriticalCustomer, **kwargs) -> None:
    ranking.want_current(instance.organization_id)
