"""The monitoring criteria of one region and year, beside the monitoring income line of the
identification rules (registry.identification.Rules.monitoring_line).

No Django here. A household is a lead when its rigid spending or a shock is large against
its annual income, or when an event of the kinds below happens to one of its members.
Shares are of the household's annual net income (per-capita income x members); an amount
"above" a share is strictly above it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Criteria:
    """Raises ValueError if a share is not in (0, 10] or a day count is not positive."""

    # Out-of-pocket medical spending after insurance, summed over the window, above this
    # share of the household's annual income.
    medical_share: float = 0.5
    # School fees summed over the window above this share.
    education_share: float = 0.3
    # Losses from a disaster (house damaged, crops lost) summed over the window above this
    # share; a damaged house is a lead whatever its amount.
    disaster_share: float = 0.3
    # Records older than this many days before the screening are not counted.
    window_days: int = 365

    def __post_init__(self):
        for name in ("medical_share", "education_share", "disaster_share"):
            value = getattr(self, name)
            if isinstance(value, bool) or not 0 < value <= 10:
                raise ValueError(f"{name} must be above 0 and at most 10")
        if isinstance(self.window_days, bool) or not (
            isinstance(self.window_days, int) and self.window_days > 0
        ):
            raise ValueError("window_days must be a positive whole number")
