"""What a briefing says about itself, computed from its resolved sections (plain dicts, see
core.tiles.resolve): the key points of the day and what changed since the previous version.
Pure functions of the data, called with the document's language active."""

from django.utils.translation import gettext as _

MAX_POINTS = 5
MIN_POINTS = 3
NAMED = 3  # flags named in one key point; the rest are counted
# Key points from flags, in this order: what is overdue, then what waits for a decision,
# then what is abnormal.
FLAG_ORDER = ("overdue", "decision", "abnormal")


def is_quiet(sections: list[dict]) -> bool:
    """Nothing abnormal anywhere: no section raised a flag."""
    return not any(s["flags"] for s in sections)


def key_points(sections: list[dict]) -> list[str]:
    """今日要点: a sentence per kind of flag raised (overdue, decision, abnormal), then the
    figures that changed most for the worse since the day before, up to five; fewer than
    three are filled with the other figures that changed. A quiet day says so plainly, with
    the figure that worsened most if one did."""
    figures = [f for s in sections for f in s["figures"]]
    worse = _changed(figures, worse=True)
    if is_quiet(sections):
        zero = _(
            "Every indicator across the organization is normal; nothing abnormal was "
            "reported (zero report)."
        )
        return [zero, *[_figure_point(f) for f in worse[:1]]]
    flags = [f for s in sections for f in s["flags"]]
    points = [_flag_point(kind, flags) for kind in FLAG_ORDER]
    points = [p for p in points if p]
    points += [_figure_point(f) for f in worse[: MAX_POINTS - len(points)]]
    if len(points) < MIN_POINTS:
        other = _changed(figures, worse=False)
        points += [_figure_point(f) for f in other[: MIN_POINTS - len(points)]]
    return points[:MAX_POINTS]


def _flag_point(kind: str, flags: list[dict]) -> str:
    texts = [f["text"] for f in flags if f["kind"] == kind]
    if not texts:
        return ""
    items = _("; ").join(t.rstrip("。.") for t in texts[:NAMED])
    if len(texts) > NAMED:
        items = _("%(items)s and %(more)s more") % {"items": items, "more": len(texts) - NAMED}
    messages = {
        "overdue": _("Overdue (%(n)s): %(items)s."),
        "decision": _("Waiting for a decision (%(n)s): %(items)s."),
        "abnormal": _("Abnormal (%(n)s): %(items)s."),
    }
    return messages[kind] % {"n": len(texts), "items": items}


def _delta(figure: dict) -> float | None:
    value, previous = figure.get("value"), figure.get("previous")
    if value is None or previous is None or value == previous:
        return None
    return value - previous


def _changed(figures: list[dict], *, worse: bool) -> list[dict]:
    """The figures that changed since the day before — for the worse (`worse`) or otherwise
    — the largest relative change first."""
    found = []
    for f in figures:
        delta = _delta(f)
        if delta is None:
            continue
        bad = (f["better"] == "up" and delta < 0) or (f["better"] == "down" and delta > 0)
        if bad != worse:
            continue
        found.append((-abs(delta) / max(abs(f["previous"]), 1e-9), f["key"], f))
    return [f for *_rank, f in sorted(found, key=lambda r: (r[0], r[1]))]


def _decimals(text: str) -> int:
    return len(text.rsplit(".", 1)[1]) if "." in text else 0


def _figure_point(figure: dict) -> str:
    delta = _delta(figure)
    amount = f"{abs(delta):,.{_decimals(figure['text'])}f}"
    args = {
        "label": figure["label"],
        "value": figure["text"],
        "unit": figure["unit"],
        "amount": amount,
    }
    if delta > 0:
        return _("%(label)s %(value)s%(unit)s, up %(amount)s%(unit)s on the day before.") % args
    return _("%(label)s %(value)s%(unit)s, down %(amount)s%(unit)s on the day before.") % args


def changes(old: dict, new: dict) -> list[str]:
    """What changed from document `old` to `new` (same language): sections added or
    removed, figures (old → new), flags raised or cleared, lines and tables changed."""
    found: list[str] = []
    before = {s["key"] or s["title"]: s for s in old.get("sections", [])}
    after = {s["key"] or s["title"]: s for s in new.get("sections", [])}
    for key, section in after.items():
        if key not in before:
            found.append(_("Section added: %(title)s.") % {"title": section["title"]})
            continue
        found += _section_changes(before[key], section)
    for key, section in before.items():
        if key not in after:
            found.append(_("Section removed: %(title)s.") % {"title": section["title"]})
    if old.get("level") != new.get("level"):
        found.append(
            _("Response level: %(old)s → %(new)s.") % {"old": old.get("level"), "new": new["level"]}
        )
    return found


def _section_changes(old: dict, new: dict) -> list[str]:
    found = []
    title = new["title"]
    figures = {f["key"]: f for f in old["figures"]}
    for f in new["figures"]:
        was = figures.get(f["key"])
        if was is not None and was["text"] != f["text"]:
            found.append(
                _("%(label)s: %(old)s → %(new)s%(unit)s.")
                % {"label": f["label"], "old": was["text"], "new": f["text"], "unit": f["unit"]}
            )
    flags_old = {(f["kind"], f["text"]) for f in old["flags"]}
    flags_new = {(f["kind"], f["text"]) for f in new["flags"]}
    for _kind, text in sorted(flags_new - flags_old):
        found.append(_("%(section)s — raised: %(text)s") % {"section": title, "text": text})
    for _kind, text in sorted(flags_old - flags_new):
        found.append(_("%(section)s — cleared: %(text)s") % {"section": title, "text": text})
    for line in new["lines"]:
        if line not in old["lines"]:
            found.append(_("%(section)s — now reads: %(text)s") % {"section": title, "text": line})
    tables = {t["title"]: t for t in old["tables"]}
    for t in new["tables"]:
        was = tables.get(t["title"])
        if was is not None and was["rows"] != t["rows"]:
            found.append(
                _("%(section)s — table “%(table)s”: %(old)s rows → %(new)s rows.")
                % {
                    "section": title,
                    "table": t["title"],
                    "old": len(was["rows"]),
                    "new": len(t["rows"]),
                }
            )
    return found
