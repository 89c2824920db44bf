"""Publishing: the audience is fixed at publication, one receipt per active person; a unit head
publishes only to their own units; retries publish once; robots hear of it once each."""

import pytest

from headwater.alerts.models import Alert, Delivery, InboxItem
from headwater.core.choices import EmploymentStatus
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import PersonFactory
from headwater.notices import services
from headwater.notices.inputs import PublishInput
from headwater.notices.models import Notice, Receipt

pytestmark = pytest.mark.django_db


def test_publishing_to_the_organization_gives_every_active_person_one_receipt(
    publish, people, tree
):
    PersonFactory(unit=tree["plant2"], employment_status=EmploymentStatus.LEFT)
    notice = publish()
    assert notice.audience == 4
    assert set(Receipt.objects.filter(notice=notice).values_list("person_id", flat=True)) == {
        p.pk for p in people.values()
    }
    assert Receipt.objects.filter(notice=notice, unit=people["operator"].unit).count() == 1
    assert Receipt.objects.filter(read_at__isnull=False).count() == 0


def test_publishing_to_a_unit_reaches_its_subtree_only(publish, people, tree):
    notice = publish(units=[tree["plant1"]])
    assert notice.audience == 2
    assert set(Receipt.objects.values_list("person_id", flat=True)) == {
        people["head"].pk,
        people["operator"].pk,
    }
    assert list(notice.units.all()) == [tree["plant1"]]


def test_unit_head_publishes_to_their_own_units(publish, unit_head_user, tree):
    notice = publish(by=unit_head_user, units=[tree["shift_a"]])
    assert notice.audience == 1


def test_unit_head_is_refused_outside_their_units_and_nothing_is_written(
    publish, unit_head_user, tree
):
    with pytest.raises(DomainError) as refused:
        publish(by=unit_head_user, units=[tree["plant1"], tree["plant2"]])
    assert refused.value.code == "outside_units"
    assert "第二水厂" in refused.value.message
    with pytest.raises(NotAllowed):
        publish(by=unit_head_user)  # the whole organization
    assert Notice.objects.count() == 0
    assert Receipt.objects.count() == 0
    assert Alert.objects.count() == 0


def test_staff_may_not_publish(publish, staff_user):
    with pytest.raises(NotAllowed):
        publish(by=staff_user)
    assert Notice.objects.count() == 0


def test_a_retried_publish_with_the_same_key_publishes_once(publish):
    first = publish(key="k-1")
    again = publish(key="k-1")
    assert again.pk == first.pk
    assert Notice.objects.count() == 1
    assert Receipt.objects.count() == 4
    assert Alert.objects.count() == 1


def test_robots_get_one_delivery_each_and_nobody_an_inbox_item(publish, org, make_channel):
    dingtalk = make_channel(name="钉钉群")
    wecom = make_channel(
        name="企微群", kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    )
    notice = publish(key="robots", body="**第一条**\n" + "长" * 400)
    publish(key="robots")
    alert = Alert.objects.get()
    assert alert.kind == "notices.published"
    assert alert.dedup_key == f"notice:{notice.pk}"
    assert alert.link == f"/notices/{notice.pk}/"
    assert alert.body.startswith("\\*\\*第一条\\*\\*\n")
    assert alert.body.endswith("…")
    assert sorted(Delivery.objects.values_list("channel_id", flat=True)) == sorted(
        [dingtalk.pk, wecom.pk]
    )
    assert InboxItem.objects.count() == 0


def test_a_unit_with_nobody_in_it_is_refused(publish, org, tree):
    from headwater.core.tests.factories import make_unit

    empty = make_unit(org, "空班组", "E0", tree["plant2"])
    with pytest.raises(DomainError) as refused:
        publish(units=[empty])
    assert refused.value.code == "no_audience"
    assert Notice.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "nonsense"}, "kind"),
        ({"title": ""}, "title"),
        ({"body": " "}, "body"),
        ({"requirement": "quiz", "question": "", "options": ["a", "b"], "answer": 0}, "question"),
        ({"requirement": "quiz", "question": "Q", "options": ["a"], "answer": 0}, "options"),
        ({"requirement": "quiz", "question": "Q", "options": ["a", "b"], "answer": 2}, "answer"),
        ({"unit_ids": ["x"]}, "unit_ids"),
    ],
)
def test_a_bad_notice_names_the_field(data, field):
    base = {"kind": "rules", "title": "T", "body": "B"}
    with pytest.raises(DomainError) as refused:
        PublishInput.parse({**base, **data})
    assert field in refused.value.fields


def test_an_acknowledgement_without_a_statement_gets_the_usual_one():
    data = PublishInput.parse(
        {"kind": "rules", "title": "T", "body": "B", "requirement": "acknowledge"}
    )
    assert data.statement == "I have read this and will comply."


def test_a_unit_of_another_organization_is_unknown(org, office_user, outsider):
    data = PublishInput.parse(
        {"kind": "rules", "title": "T", "body": "B", "unit_ids": [outsider.person.unit_id]}
    )
    with pytest.raises(DomainError) as refused:
        services.publish(org, data, by=office_user)
    assert refused.value.fields == {"unit_ids": "Unknown unit."}
    assert Notice.objects.count() == 0
