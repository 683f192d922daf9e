"""What the needs tell the apps above them, so that they never import them. Receivers run
synchronously, inside the writer's transaction."""

from django.dispatch import Signal

need_status_changed = Signal()
"""Sent with ``need`` (saved, its row locked) after a service changed its status."""
