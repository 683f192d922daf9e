"""Demo pairings and offers, so that a matching round on the demo data has something to
allocate: the foundation is a coordinating hub and holds village posts, the paired city
offers most, and one offer sits with the helper that is not yet verified. A round over the
demo county is run and sent, so the helpers have proposals to answer."""

from datetime import date

from django.db import transaction
from django.utils import translation

from aidbridge.accounts.demo import DEMO_COUNTY
from aidbridge.accounts.models import Role, User
from aidbridge.helpers.models import Organization, PairingPost, PairingRole, RegionPairing
from aidbridge.matching.models import Offer, Proposal, Round
from aidbridge.matching.services import round_run, round_send
from aidbridge.pairing.selectors import poor_villages
from aidbridge.regions.models import Region

OFFERS = [  # helper, title, yuan, categories, region (None: the demo county)
    ("lsfund", "2026年冬季困难群众救助专项", 60_000, ["health", "education", "living"], None),
    (
        "foshan-gov",
        "佛山—木里东西部协作资金（演示）",
        150_000,
        ["housing", "education", "health"],
        "prefecture",
    ),
    ("ls-yi-embroidery", "彝绣技能培训名额折算资金", 20_000, ["training"], None),
    ("donor-demo", "助学小额捐赠", 5_000, ["education"], None),
    ("muli-volunteers", "留守儿童陪伴项目", 3_000, ["psychology"], None),
]
SINCE = date(2021, 1, 1)


@transaction.atomic
def load() -> int:
    """Create the demo pairings and offers unless offers exist; return the offers made."""
    if Offer.objects.exists():
        return 0
    county = Region.objects.get(code=DEMO_COUNTY)
    admin = User.objects.filter(role=Role.ADMIN).first()
    helpers = Organization.objects.in_bulk([h[0] for h in OFFERS], field_name="code")
    Organization.objects.filter(code="lsfund").update(hub=True)
    RegionPairing.objects.get_or_create(
        helper=helpers["foshan-gov"],
        county=county,
        until=None,
        defaults={"since": SINCE, "created_by": admin},
    )
    for village in poor_villages(county)[:2]:
        for role in PairingRole:
            with translation.override("zh-hans"):
                label = str(role.label)
            PairingPost.objects.get_or_create(
                village=village,
                role=role,
                until=None,
                defaults={
                    "holder": f"演示：{label}",
                    "since": SINCE,
                    "created_by": admin,
                    "helper": helpers["lsfund"] if role == PairingRole.SUPPORT_UNIT else None,
                },
            )
    for code, title, capacity, categories, where in OFFERS:
        helper = helpers[code]
        offer = Offer.objects.create(
            helper=helper,
            title=title,
            capacity=capacity,
            categories=categories,
            created_by=helper.staff.first() or admin,
        )
        offer.regions.set([county.parent if where == "prefecture" else county])
    return len(OFFERS)


@transaction.atomic
def send_round() -> int:
    """Run a round over the demo county as its officer and send it (the job's work, done
    here at once), unless a round exists; return the proposals sent."""
    if Round.objects.exists():
        return 0
    county = Region.objects.get(code=DEMO_COUNTY)
    officer = User.objects.get(username=f"county-{county.code}")
    found = Round.objects.create(region=county, region_path=county.path, created_by=officer)
    round_run(found)
    round_send(by=officer, found=found)
    return Proposal.objects.filter(round=found, status="sent").count()
