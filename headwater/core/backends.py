"""The auth backend: password login as usual, permissions from the user's role grants."""

from django.contrib.auth.backends import ModelBackend

from headwater.core.roles import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    """Password login as usual; permissions come from the user's role grants."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            perms: set[str] = set()
            for role in user_obj.roles:
                perms |= ROLE_PERMISSIONS.get(role, set())
            user_obj._role_perm_cache = perms | super().get_all_permissions(user_obj)
        return user_obj._role_perm_cache
