"""The auth backend: password login as usual, permissions from the user's role grants."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from headwater.core.roles import ROLE_PERMISSIONS

User = get_user_model()


class RoleBackend(ModelBackend):
    """Password login as usual; permissions come from the user's role grants."""

    def get_user(self, user_id):
        """The session's user with their person, its organization and unit in the same query:
        nearly every request of a staff member reads them (the check-in, the own code)."""
        try:
            user = User._default_manager.select_related("person__organization", "person__unit").get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            perms: set[str] = set()
            for role in user_obj.roles:
                perms |= ROLE_PERMISSIONS.get(role, set())
            user_obj._role_perm_cache = perms | super().get_all_permissions(user_obj)
        return user_obj._role_perm_cache
