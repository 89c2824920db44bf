"""The criticality ranking in the task queue: every minute, the current model of each
organization whose ranking is asked for (`ranking_wanted_at` after `ranked_at`) or was never
computed is ranked again; the office's "recompute now" queues one model at once."""

from django.db.models import F, Q
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from headwater.network.models import NetworkModel
from headwater.network.services import ranking


@db_task()
def rank_model(model_id: int) -> int:
    """Rank one model version (it may have stopped being current: still ranked, cheap)."""
    model = NetworkModel.objects.select_related("organization").filter(pk=model_id).first()
    return 0 if model is None else ranking.compute(model)


@db_periodic_task(crontab(minute="*"))
def rank_wanted_models() -> list[int]:
    """Rank the current models whose ranking is wanted; returns their ids."""
    wanted = list(
        NetworkModel.objects.filter(current=True)
        .filter(Q(ranked_at__isnull=True) | Q(ranking_wanted_at__gt=F("ranked_at")))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for model_id in wanted:  # one model at a time, each its own short transaction
        model = NetworkModel.objects.select_related("organization").get(pk=model_id)
        ranking.compute(model)
    return wanted
