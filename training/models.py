from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import Channel, Department, code_validator


class Standard(models.Model):
    """A service standard that insights can refer to.

    Its versioned text, modules and compliance arrive with the training feature;
    insights only need a stable code and a bilingual title to point at.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    channels = models.ManyToManyField(
        Channel, blank=True, related_name="standards", verbose_name=_("channels")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standards",
        verbose_name=_("owning department"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def title(self) -> str:
        if (get_language() or "en").startswith("ar"):
            return self.title_ar or self.title_en
        return self.title_en or self.title_ar
