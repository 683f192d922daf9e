"""The household picker of a need's form: the clerk types a household number or the
start of the head's name and picks from the households of their area, shown by number,
masked head and village. It posts what was typed (never in a URL) with the village field."""

from aidbridge.regions.widgets import RegionPicker


class HouseholdPicker(RegionPicker):
    endpoint = "registry:pick"

    def __init__(self, *, village_field="village", attrs=None):
        self.village_field = village_field
        super().__init__(attrs=attrs)

    def query(self, name) -> dict:
        return {"field": name, "village_field": self.village_field}

    def request_attrs(self, name, url) -> dict:
        return {"hx-post": url, "hx-params": f"{name},{self.village_field}"}
