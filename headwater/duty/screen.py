"""The duty panels of the command dashboard (core.screen interface): who is on duty now at
each post, and the leader on duty. Two queries; none when the organization has no posts."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.screen import Panel, screen_panel
from headwater.core.tiles import Text
from headwater.duty import now
from headwater.duty.models import Post

SHOWN = 30


@screen_panel
def duty_panels(organization, day: dt.date) -> list[Panel]:
    rows = now.on_duty(Post.objects.of(organization), clock.now())
    if not rows:
        return []
    items = []
    for r in rows[:SHOWN]:
        names = "、".join(p.name for p in r.people)
        end = f"{timezone.localtime(r.shift.ends_at):%H:%M}" if r.shift else ""
        items.append(
            {
                "id": f"duty-post-{r.post.pk}",
                "time": end,
                "text": f"{r.post.name}: {names}" if names else r.post.name,
                "note": r.post.duty_phone,
                "colour": "danger" if r.short else "success",
                "muted": False,
            }
        )
    leaders = now.leaders(rows)
    return [
        Panel(
            "duty.on_duty",
            _("On duty now"),
            "list",
            {"items": items, "empty": _("No posts."), "more": max(len(rows) - SHOWN, 0)},
            order=90,
            size="t",
            note=Text(_("%(n)s posts, red: below the minimum"), n=len(rows)),
        ),
        Panel(
            "duty.leader",
            _("Leader on duty"),
            "level",
            {
                "label": "、".join(p.name for p in leaders) or str(_("Nobody")),
                "colour": "info" if leaders else "danger",
                "since": "",
                "note": "",
            },
            order=91,
            size="s",
        ),
    ]
