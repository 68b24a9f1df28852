from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeacherleadersConfig(AppConfig):
    name = "teacherleaders"
    verbose_name = _("Teacher leaders")
