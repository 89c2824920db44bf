from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "headwater.core"
    label = "core"
    verbose_name = _("Organization and platform")

    def ready(self) -> None:
        from headwater.core import audit, levels, memo, tiles  # noqa: F401  (registers models, settings, tiles)
        from headwater.core import models as m

        # The check-in remembers the level in force and the office's settings (core.memo).
        memo.forget_on_change(m.Organization, m.ResponseLevelChange, m.LevelSettingValue)
