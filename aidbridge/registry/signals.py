"""What the registry tells the apps above it, so that it never imports them. Receivers run
synchronously, inside the writer's transaction."""

from django.dispatch import Signal

households_changed = Signal()
"""Sent with ``villages``: the ids of the villages whose households a writer changed, or None
after a bulk load that may have touched any of them."""
