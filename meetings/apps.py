from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Theme meetings")

    def ready(self) -> None:
        from . import collectors, erasure, exports

        collectors.register_all()
        exports.register_all()
        erasure.register_all()
