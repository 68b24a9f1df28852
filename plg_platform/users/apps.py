from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "plg_platform.users"
    label = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from . import exports
        from .signals import log_failed_sign_in

        user_login_failed.connect(log_failed_sign_in, dispatch_uid="log_failed_sign_in")
        exports.register_all()
