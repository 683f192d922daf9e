"""Job kinds and their handlers. An app registers ``handler(job, progress) -> dict`` with
``@job_handler("kind")`` in its jobs module, imported from its AppConfig.ready."""

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}
LABELS: dict[str, str] = {}


def job_handler(kind: str, label: str):
    def register(func: Callable) -> Callable:
        HANDLERS[kind] = func
        LABELS[kind] = label
        return func

    return register
