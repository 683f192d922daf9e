"""The categories of help the seeds name (001 2.2 and 4.2), shared by needs, helpers' fields
and offers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    HEALTH = "health", _("Health and medical care")
    EDUCATION = "education", _("Education resources")
    HOUSING = "housing", _("Housing security")
    LIVING = "living", _("Living materials")
    AGRICULTURE = "agriculture", _("Agricultural technology")
    TRAINING = "training", _("Education and training")
    ECOLOGY = "ecology", _("Ecological protection")
    DISASTER = "disaster", _("Natural disasters")
    PSYCHOLOGY = "psychology", _("Psychological support")
