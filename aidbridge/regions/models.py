"""The region tree: province > city > county > township > village, or any other scheme.

Subtree queries use a materialised path of codes ("/510000/513400/513422/"), so they work
for any coding scheme, not only China's code prefixes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PATH_SEP = "/"


class PathField(models.CharField):
    """A copy of a region's path on rows scoped by region (households). On PostgreSQL its
    column has the C collation (byte order), so that one ordinary B-tree index serves both
    ``ORDER BY`` and a subtree's ``LIKE '/.../%'``; in a database of another collation the
    LIKE needs an index of its own (varchar_pattern_ops) and ordered walks cannot start at
    the subtree. Paths are codes and separators, whose byte order is the natural one.
    SQLite compares bytes anyway (its BINARY collation)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql" and not self.db_collation:
            params["collation"] = "C"
        return params


def level_choices() -> list[tuple[str, str]]:
    return list(settings.REGION_LEVELS)


class Region(models.Model):
    code = models.CharField(_("code"), max_length=24, unique=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )
    level = models.CharField(_("level"), max_length=24, choices=level_choices)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    path = models.CharField(max_length=400, db_index=True, editable=False)
    population = models.PositiveIntegerField(
        _("rural registered population"),
        null=True,
        blank=True,
        help_text=_("Of the whole region; poverty incidence is poor people over it."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(code__contains=PATH_SEP), name="region_code_has_no_separator"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Chinese."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def contains(self, other: "Region") -> bool:
        """True if ``other`` is this region or lies below it."""
        return other.path.startswith(self.path)

    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to this region, inclusive."""
        return [c for c in self.path.split(PATH_SEP) if c]
