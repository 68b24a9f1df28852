from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Schools and PLGs")

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun
        from django.contrib.auth.signals import user_logged_in

        from plg_platform.privacy import data_exported

        from . import audit, erasure, exports, page_cache, two_factor

        # Django's signal, not allauth's: every sign-in sends it once (allauth's login calls
        # Django's login), also the invitation link's, which allauth never sees.
        user_logged_in.connect(two_factor.on_signed_in, dispatch_uid="two_factor_signed_in")
        exports.register_all()
        erasure.register_all()
        data_exported.connect(audit.on_data_exported, dispatch_uid="audit_data_exported")
        # A task that writes retires the kept pages, as a request that writes does.
        task_prerun.connect(page_cache.on_task_start, dispatch_uid="page_cache_task_start")
        task_postrun.connect(page_cache.on_task_end, dispatch_uid="page_cache_task_end")
