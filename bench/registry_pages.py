"""Server time of the household list and the region dashboard on a loaded database (issue 3
goal: "Household list and dashboard at a million households: under 300 ms server time").

    DATABASE_URL=postgres://... .venv/bin/python -m bench.registry_pages [--runs 5]

Run it against a database loaded with `aidbridge demo --households 1000000`. Each page is
requested through Django's test client as the demo officer whose scope it is (the request,
the queries and the template, without a network), once to warm up and then ``--runs`` times;
the median is printed with the number of queries.
"""

import argparse
import os
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aidbridge.accounts.models import User
    from aidbridge.registry.models import Household

    settings.ALLOWED_HOSTS = ["*"]
    households = Household.objects.count()
    county = User.objects.get(username="county-513422")
    city = User.objects.get(username="city-513400")
    name = (
        Household.objects.filter(region_path__startswith=county.region.path)
        .values_list("head_name", flat=True)
        .first()
        or "王"
    )
    pages = [
        ("dashboard, prefecture", city, f"/regions/{city.region.code}/"),
        ("dashboard, county", county, f"/regions/{county.region.code}/"),
        ("list, prefecture, page 1", city, "/households/"),
        ("list, prefecture, page 400 (the last)", city, "/households/?page=400"),
        ("list, prefecture, poor, illness", city, "/households/?status=poor&cause=illness"),
        ("list, county, income band", county, "/households/?band=2300_4000"),
        ("list, prefecture, search a name", city, f"/households/?q={name[:2]}"),
        ("list, prefecture, search 阿 (200k+ hits)", city, "/households/?q=阿"),
    ]
    print(f"{households:,} households on {connection.vendor}; median of {args.runs} runs")
    print(f"{'page':<36} {'ms':>8} {'queries':>8}")
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
            assert response.status_code == 200, url
        print(f"{label:<36} {statistics.median(times) * 1000:>8.0f} {len(queries):>8}")


if __name__ == "__main__":
    main()
