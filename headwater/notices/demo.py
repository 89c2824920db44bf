"""Demo data of the notices app for `headwater demo`: the protection handbook to acknowledge
and a daily knowledge question, to everybody, two days ago; about two in three people have
done each (some of the quiz on a second try). Deterministic."""

import datetime as dt

from auditlog.context import disable_auditlog
from django.db.models import F
from django.db.models.functions import Mod

from headwater.core import clock
from headwater.core.demo import extension
from headwater.core.models import Organization
from headwater.notices.inputs import PublishInput
from headwater.notices.models import Notice, Receipt
from headwater.notices.services import _publish

NOTICES = [
    {
        "kind": "handbook",
        "title": "关于印发《供水生产一线人员疫情防护手册（第二版）》的通知",
        "body": "各单位：\n现将《供水生产一线人员疫情防护手册（第二版）》印发给你们，"
        "请组织全体职工认真学习，严格遵照执行。\n一、进入厂区一律测温、扫码、佩戴口罩。\n"
        "二、中控室、化验室实行分班轮换，交接班不见面。\n三、出现发热、咳嗽等症状立即报告。",
        "requirement": "acknowledge",
        "statement": "我已认真阅读《防护手册》，知晓并遵守。",
    },
    {
        "kind": "training",
        "title": "每日防疫知识：进入厂区的要求",
        "body": "进入厂区前，须在卡点测量体温并出示健康码，体温 ≥ 37.3 ℃ 不得进入。",
        "requirement": "quiz",
        "question": "体温达到多少不得进入厂区？",
        "options": ["36.5 ℃", "37.3 ℃", "38.5 ℃"],
        "answer": 1,
    },
]


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    published = clock.now() - dt.timedelta(days=2)
    with disable_auditlog():  # made-up history, not changes anyone made
        for n, fields in enumerate(NOTICES):
            notice = _publish(org, PublishInput.parse(fields), by=None, checked=False)
            Notice.objects.filter(pk=notice.pk).update(published_at=published)
            receipts = Receipt.objects.filter(notice=notice)
            # Two in three done (by person id, so the same people are diligent in both).
            done = _where(receipts, seed + n, 3, done=True)
            later = published + dt.timedelta(hours=3)
            done.update(read_at=later, acknowledged_at=later)
            if fields["requirement"] == "quiz":
                done.update(answer=1, correct=True, attempts=1)
                wrong = _where(done, seed, 7, done=False)
                wrong.update(attempts=F("attempts") + 1)


def _where(receipts, offset: int, modulus: int, *, done: bool):
    """Receipts whose person id + offset is (done=False) or is not (done=True) a multiple of
    `modulus`: a fixed share, the same people every run."""
    keyed = receipts.annotate(k=Mod(F("person_id") + offset, modulus))
    chosen = keyed.exclude(k=0) if done else keyed.filter(k=0)
    return Receipt.objects.filter(pk__in=chosen.values("pk"))
