"""The audit trail records who changed what, before and after, and the office searches it."""

from auditlog.models import LogEntry
from django.urls import reverse

from headwater.core import services


def test_editing_a_person_records_before_and_after(client, office_user, people):
    client.force_login(office_user)
    person = people["operator"]
    response = client.post(
        reverse("core:person_edit", args=[person.pk]),
        {
            "employee_no": person.employee_no,
            "name": person.name,
            "unit": person.unit_id,
            "position": "值班长",
            "phone": person.phone,
            "id_number": person.id_number,
            "employment_status": "active",
        },
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert (entry.actor, entry.changes) == (office_user, {"position": ["操作工", "值班长"]})


def test_bad_edit_changes_nothing(client, office_user, people):
    client.force_login(office_user)
    person = people["operator"]
    response = client.post(
        reverse("core:person_edit", args=[person.pk]),
        {
            "employee_no": person.employee_no,
            "name": person.name,
            "unit": person.unit_id,
            "phone": "999",
            "id_number": person.id_number,
            "employment_status": "active",
        },
    )
    assert response.status_code == 200
    assert "手机号码格式不正确：999" in response.content.decode()
    person.refresh_from_db()
    assert person.phone == "13912345678"
    assert (
        LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).count() == 0
    )


def test_trail_is_searchable_by_text_and_actor(client, office_user, people, org):
    services.switch_level(org, "level2", by=office_user, reason="春节返岗高峰")
    client.force_login(office_user)
    page = client.get(reverse("core:audit"), {"q": "春节返岗", "actor": "office"})
    # The change, and the notice announcing it (its body gives the reason), newest first.
    assert [e.object_repr for e in page.context["page"]] == [
        "响应级别：二级响应",
        str(org.level_changes.get()),
    ]


def test_object_history_page_lists_one_objects_entries(client, office_user, people):
    client.force_login(office_user)
    person = people["operator"]
    response = client.get(reverse("core:history", args=["person", person.pk]))
    assert [e.object_pk for e in response.context["page"]] == [str(person.pk)]


def test_office_sees_only_its_own_organizations_trail(client, outsider, office_user, org):
    services.switch_level(org, "level2", by=office_user, reason="本单位")
    client.force_login(outsider)
    response = client.get(reverse("core:audit"), {"q": "本单位"})
    assert list(response.context["page"]) == []


def test_unit_head_may_not_view_the_trail(client, unit_head_user):
    client.force_login(unit_head_user)
    assert client.get(reverse("core:audit")).status_code == 403
