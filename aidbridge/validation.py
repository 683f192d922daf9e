"""Checks on input values that services and pure cores share; no Django here."""


def is_whole(value: object) -> bool:
    """A whole number, not a bool: Python counts True as 1, an amount never is."""
    return isinstance(value, int) and not isinstance(value, bool)
