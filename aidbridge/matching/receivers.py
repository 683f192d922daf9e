"""What matching does when the apps below it change: a need that is no longer open to claims
withdraws its proposals not yet answered."""

from django.dispatch import receiver

from aidbridge.matching.services import proposals_withdraw
from aidbridge.needs.signals import need_status_changed


@receiver(need_status_changed)
def _need_changed(sender, need, **kwargs) -> None:
    proposals_withdraw(need=need)
