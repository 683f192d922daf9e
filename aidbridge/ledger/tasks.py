"""Background work of the ledger."""

from django.db import transaction
from django_tasks import task

from aidbridge.ledger.services import checkpoint_make


@task()
def make_checkpoint() -> None:
    checkpoint_make()


def checkpoint_soon() -> None:
    """Sign a checkpoint in the background once the current transaction commits, so new
    entries get receipts within moments (a checkpoint covering them may be made meanwhile:
    then this one returns it unchanged)."""
    transaction.on_commit(make_checkpoint.enqueue)
