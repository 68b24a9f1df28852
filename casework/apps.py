from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case sessions")

    def ready(self) -> None:
        from meetings import panels, reminders

        from .reminders import COLLECTORS
        from .selectors.panel import meeting_panel

        panels.register("casework/meeting/_casework.html", meeting_panel)
        for kind, collector in COLLECTORS.items():
            reminders.register(kind, collector)
