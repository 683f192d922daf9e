"""Phone numbers people write: digits with the usual separators, as offices write them."""

import re

PHONE = re.compile(r"[0-9+\-() ]{3,30}")
