"""The isolation app's per-response-level settings (core.levels)."""

from django.utils.translation import gettext_lazy as _

from headwater.core import levels

RULES = (
    "一、隔离期间不外出、不串门、不聚集，家庭成员分室居住、分餐进食。\n"
    "二、每日早晚各测量一次体温，如实告知盯控人；出现发热、咳嗽、乏力等症状立即报告。\n"
    "三、生活物资、药品由志愿者代购，垃圾由志愿者统一收运，请提前预约。\n"
    "四、开窗通风，勤洗手，做好居室消毒。\n"
    "五、隔离期满且连续监测正常，经疫情防控办公室批准后解除隔离。"
)

for key, label, default in (
    ("isolation.days_home", _("Days of home isolation"), 14),
    ("isolation.days_centralized", _("Days of centralized isolation"), 14),
    ("isolation.days_observation", _("Days of medical observation"), 14),
):
    levels.register(key, label, kind=int, minimum=1, maximum=60, default=default)
levels.register(
    "isolation.followup_due_at",
    _("Isolation follow-up due by"),
    kind=str,
    format=levels.TIME,
    default="18:00",
    help_text=_("A case without a follow-up by then is reported to the unit head."),
)
levels.register(
    "isolation.followup_escalate_office_at",
    _("Missing isolation follow-up reported to the office at"),
    kind=str,
    format=levels.TIME,
    default="20:00",
)
levels.register(
    "isolation.release_after_normal",
    _("Normal follow-ups needed before release"),
    kind=int,
    minimum=1,
    maximum=14,
    default=2,
)
levels.register(
    "isolation.rules",
    _("Isolation rules on the service card"),
    kind=str,
    max_length=2000,
    default=RULES,
)
levels.register(
    "isolation.request_accept_minutes",
    _("Minutes for a volunteer to accept a service request"),
    kind=int,
    minimum=5,
    maximum=1440,
    default=60,
    help_text=_("A service request not accepted by then is reported to the case's monitor."),
)

for key, label, default in (
    ("isolation.flow_inform_head_minutes", _("Minutes to inform the unit head of a finding"), 15),
    ("isolation.flow_inform_office_minutes", _("Minutes to inform the office of a finding"), 30),
    ("isolation.flow_refer_minutes", _("Minutes to refer or transfer after the office"), 120),
):
    levels.register(key, label, kind=int, minimum=1, maximum=1440, default=default)

levels.register(
    "isolation.supervision_sample",
    _("Cases drawn for supervision calls each day"),
    kind=int,
    minimum=1,
    maximum=50,
    default=5,
)
