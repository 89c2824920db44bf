"""Rows of the "now" part as the API shapes them (plain dicts for schemas_now)."""

from headwater.duty.now import PostNow


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.person.name if user.person_id else user.username


def post_now(r: PostNow) -> dict:
    leader = r.leader
    return {
        "post_id": r.post.pk,
        "post": r.post.name,
        "kind": r.post.kind,
        "site": r.post.site.name if r.post.site else "",
        "duty_phone": r.post.duty_phone,
        "min_people": r.post.min_people,
        "below_minimum": r.short,
        "shifts": r.shifts,
        "people": [p.__dict__ for p in r.people],
        "leader": leader.name if leader else "",
    }


def my_shift(a) -> dict:
    s = a.shift
    return {
        "assignment_id": a.pk,
        "shift_id": s.pk,
        "post": s.post.name,
        "label": s.label,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "site": s.post.site.name if s.post.site else "",
        "duty_phone": s.post.duty_phone,
        "leads": a.leads,
    }


def swap(w) -> dict:
    s = w.assignment.shift
    return {
        "id": w.pk,
        "assignment_id": w.assignment_id,
        "shift_id": s.pk,
        "post": s.post.name,
        "shift": s.label,
        "starts_at": s.starts_at,
        "from_person_id": w.from_person_id,
        "from_name": w.from_person.name,
        "to_person_id": w.to_person_id,
        "to_name": w.to_person.name,
        "reason": w.reason,
        "state": w.state,
        "state_label": str(w.get_state_display()),
        "requested_at": w.requested_at,
        "decided_at": w.decided_at,
    }


def log_entry(e) -> dict:
    return {
        "id": e.pk,
        "shift_id": e.shift_id,
        "at": e.at,
        "kind": e.kind,
        "kind_label": str(e.get_kind_display()),
        "text": e.text,
        "written_by": _user_name(e.written_by),
    }


def handover(h) -> dict:
    return {
        "id": h.pk,
        "shift_id": h.shift_id,
        "next_shift_id": h.next_shift_id,
        "note": h.note,
        "written_by": _user_name(h.written_by),
        "written_at": h.written_at,
        "acknowledged_by": _user_name(h.acknowledged_by),
        "acknowledged_at": h.acknowledged_at,
    }


def missing(s) -> dict:
    return {
        "shift_id": s.pk,
        "post": s.post.name,
        "label": s.label,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
    }
