from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeacherleadersConfig(AppConfig):
    name = "teacherleaders"
    verbose_name = _("Teacher leaders")

    def ready(self) -> None:
        from meetings import panels

        from . import erasure, exports
        from .selectors.leader_plg import meeting_panel

        # The teacher leaders' own meetings show who takes the notes (nothing for other PLGs).
        panels.register("teacherleaders/notes_panel.html", meeting_panel)
        exports.register_all()
        erasure.register_all()
