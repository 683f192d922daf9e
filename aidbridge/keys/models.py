"""The fingerprints of the keys the data was written with (fingerprints.py). The keys
themselves never enter the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyName(models.TextChoices):
    PII = "pii", _("resident-ID key")
    LEDGER = "ledger", _("ledger signing key")


class KeyFingerprint(models.Model):
    """The fingerprint of the key in use for `name`, stored at its first use; ``source`` says
    where that key came from then (a file or an environment variable)."""

    name = models.CharField(_("key"), max_length=20, choices=KeyName.choices, unique=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    source = models.CharField(_("source"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("key fingerprint")
        verbose_name_plural = _("key fingerprints")

    def __str__(self):
        return f"{self.name} {self.fingerprint}"


class KeyRotation(models.Model):
    """A change of key under way (``finished_at`` empty) or done. The new key waits in the data
    folder as ``<key file>.new``; ``done_up_to`` is the last record re-sealed with it, so an
    interrupted rotation resumes there."""

    name = models.CharField(_("key"), max_length=20, choices=KeyName.choices)
    new_fingerprint = models.CharField(_("new fingerprint"), max_length=64)
    done_up_to = models.PositiveBigIntegerField(_("done up to"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("key rotation")
        verbose_name_plural = _("key rotations")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(finished_at=None), name="keys_one_rotation"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.new_fingerprint}"
