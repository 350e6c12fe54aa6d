from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True  # this module holds more than one AppConfig
    name = "portal"
    verbose_name = _("Organisation and people")

    def ready(self):
        from portal import notifications  # noqa: F401  (registers notification kinds)


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes, under a name the admin can show in Arabic and English."""

    default = False
    verbose_name = _("Log-in attempts")
