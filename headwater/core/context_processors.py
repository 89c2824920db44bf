"""Values every page's layout needs: the viewer's organization, its level and banner."""

from headwater.core import levels
from headwater.core.choices import ResponseLevel
from headwater.core.navigation import layout_values_for, menu_for, menu_tree


def headwater(request) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or not user.organization_id:
        return {}
    org = user.organization
    level = org.response_level
    menu = menu_for(user)
    return {
        "organization": org,
        "response_level": ResponseLevel(level),
        "response_level_colour": ResponseLevel.colour(level),
        "banner": levels.value(org, "core.banner", level),
        "menu": menu,
        "menu_tree": menu_tree(menu),
        **layout_values_for(user),
    }
