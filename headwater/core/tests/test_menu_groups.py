"""The menu: a short one is a row of links; a long one sits under its groups' headings."""

from django.utils import translation

from headwater.core.navigation import menu_tree


def entry(name: str, group: str = "") -> dict:
    return {"label": name, "url": f"/{name}/", "name": name, "group": group}


def test_a_short_menu_is_a_row_of_links():
    entries = [entry("home"), entry("checkin", "daily"), entry("inbox", "daily")]
    assert menu_tree(entries) == entries


def test_a_long_menu_groups_its_entries_where_the_group_first_appears():
    entries = [
        entry("home"),
        entry("checkin", "daily"),
        entry("inbox", "daily"),
        entry("people", "organization"),
        entry("units", "organization"),
        entry("tasks", "quality"),
        entry("rules", "health"),
        entry("audit", "system"),
        entry("overview", "health"),
    ]
    tree = menu_tree(entries)
    assert [node.get("group") or node["name"] for node in tree] == [
        "home",
        "daily",
        "organization",
        "quality",
        "health",
        "system",
    ]
    assert [e["name"] for e in tree[4]["entries"]] == ["rules", "overview"]
    # A group with one entry is drawn as that entry's link.
    assert tree[3] == entry("tasks", "quality")
    assert tree[5] == entry("audit", "system")
    with translation.override("zh-hans"):
        assert str(tree[1]["label"]) == "我的"
