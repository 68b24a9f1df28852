from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case sessions")

    def ready(self) -> None:
        from meetings import panels

        from . import erasure, exports, reminders
        from .selectors.panel import meeting_panel

        panels.register("casework/meeting/_casework.html", meeting_panel)
        reminders.register_all()
        exports.register_all()
        erasure.register_all()
