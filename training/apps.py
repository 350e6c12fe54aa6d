from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Service standards and training")

    def ready(self):
        from portal import hooks
        from training import navigation, notifications  # noqa: F401  (registrations)
        from training.services import compliance_changed, rules_apply

        # Rules assign their modules to people who join or move (portal calls this);
        # who is covered, and so compliance, changes with them.
        hooks.register_people_changed(rules_apply)
        hooks.register_people_changed(compliance_changed)
