from django.core.exceptions import ImproperlyConfigured


class KeyMismatch(ImproperlyConfigured):
    """The configured key is not the one the database was written with (or is missing)."""
