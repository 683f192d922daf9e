"""Figures kept for the dashboards, so that they stay fast at a million households."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VillageTally(models.Model):
    """A village's registry figures. Kept by ``insights.tally`` whenever the registry's writers
    change households (they send ``households_changed``); ``aidbridge tallies rebuild``
    recounts them all."""

    village = models.OneToOneField(
        "regions.Region", models.CASCADE, primary_key=True, related_name="tally"
    )
    households = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    poor = models.PositiveIntegerField(default=0)
    poor_people = models.PositiveIntegerField(default=0)
    monitored = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("village tally")
        verbose_name_plural = _("village tallies")

    def __str__(self) -> str:
        return str(self.village_id)
