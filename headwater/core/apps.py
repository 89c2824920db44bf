from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "headwater.core"
    label = "core"
    verbose_name = _("Organization and platform")

    def ready(self) -> None:
        from headwater.core import audit, levels, tiles  # noqa: F401  (registers models, settings, tiles)
