from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Employee insights and customer satisfaction")

    def ready(self):
        from feedback import navigation, notifications, standards  # noqa: F401  (registrations)
        from feedback.analytics.pages import dashboard  # noqa: F401  (the managers' home panel)

        # Standard versions answer insights; training resolves and tells through these.
        standards.register()
