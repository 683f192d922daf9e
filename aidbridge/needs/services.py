"""Writers of needs: filing, submitting (which runs the false-information filters), reviews,
withdrawal, expiry and closing. Claims are in needs.claims. Each writer checks the policy,
validates everything before writing, and works in one transaction."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.selectors import officers_over
from aidbridge.categories import Category
from aidbridge.errors import InvalidInput, catalogue_text, problem
from aidbridge.needs import checks, lifecycle
from aidbridge.needs.models import (
    BeneficiaryKind,
    Decision,
    Need,
    NeedDocument,
    NeedFlag,
    NeedReview,
)
from aidbridge.needs.signals import need_status_changed
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, require, reviewer_roles
from aidbridge.registry.models import Household, HouseholdStatus
from aidbridge.uploads import EVIDENCE, IMAGES, check_upload
from aidbridge.validation import is_whole

FINDINGS = {
    "not_in_registry": gettext_lazy(
        "No household with this number is in the registry of this village."
    ),
    "not_eligible": gettext_lazy(
        "The household is not registered poor or monitored (status: %(status)s)."
    ),
    "duplicate": gettext_lazy(
        "An open need of the same beneficiary and category exists: %(titles)s."
    ),
    "amount_out_of_range": gettext_lazy(
        "The amount %(amount)s yuan is outside the usual "
        "range for this category (%(low)s – %(high)s)."
    ),
    "repeat_aid": gettext_lazy(
        "The same help was fulfilled for this beneficiary on "
        "%(date)s (repeat aid within 12 months)."
    ),
    "burst": gettext_lazy("The filer submitted %(count)s needs in %(hours)s hours."),
}
REFUSALS = {
    "not_draft": gettext_lazy("only a draft can be submitted"),
    "not_pending_here": gettext_lazy("this need is not waiting for your level's review"),
    "reason_required": gettext_lazy("write the reason"),
    "cannot_withdraw": gettext_lazy("a need can be withdrawn only until someone claims it"),
    "cannot_expire": gettext_lazy("only a published need nobody has claimed expires"),
    "not_fulfilled": gettext_lazy("only a fulfilled need can be closed"),
}
EDITABLE = (
    "title",
    "description",
    "category",
    "amount",
    "unit",
    "urgency",
    "deadline",
    "institution",
)
MONEY_UNITS = frozenset({"yuan", "元", "人民币", "rmb", "cny", "¥"})


def finding_text(flag: NeedFlag) -> str:
    params = flag.params
    if flag.code == "not_eligible" and params.get("status") in HouseholdStatus.values:
        params = {**params, "status": HouseholdStatus(params["status"]).label}
    return catalogue_text(FINDINGS, flag.code, params)


def _refused(exc: lifecycle.Refused, field: str = "status") -> InvalidInput:
    return InvalidInput([problem(field, catalogue_text(REFUSALS, exc.code))])


def _validate(data: dict, *, kind: str, region, today: date) -> list[dict]:
    errors = []

    def bad(field, message):
        errors.append(problem(field, message))

    if kind not in BeneficiaryKind.values:
        bad("kind", _("choose household, village or institution"))
    if kind in (BeneficiaryKind.HOUSEHOLD, BeneficiaryKind.VILLAGE) and region.level != "village":
        bad("region", _("must be a village"))
    if kind == BeneficiaryKind.HOUSEHOLD and not (data.get("household_number") or "").strip():
        bad("household_number", _("is required for a household's need"))
    if kind == BeneficiaryKind.INSTITUTION and not (data.get("institution") or "").strip():
        bad("institution", _("name the school, clinic or other institution"))
    if data.get("category") not in Category.values:
        bad("category", _("choose one of the categories"))
    if not (data.get("title") or "").strip():
        bad("title", _("is empty"))
    elif len(data["title"]) > 120:
        bad("title", _("must be at most 120 characters"))
    amount = data.get("amount")
    if not is_whole(amount) or not 0 < amount <= 10**9:
        bad("amount", _("must be a whole number above zero"))
    if not (data.get("unit") or "yuan").strip() or len(data.get("unit") or "") > 20:
        bad("unit", _("must be “yuan” or a unit of at most 20 characters"))
    if data.get("urgency") not in (1, 2, 3, 4, 5):
        bad("urgency", _("must be 1 (low) to 5 (most urgent)"))
    deadline = data.get("deadline")
    if not isinstance(deadline, date):
        bad("deadline", _("is not a date"))
    elif deadline < today:
        bad("deadline", _("is in the past"))
    return errors


def money_unit(data: dict) -> dict:
    """`data` with a unit meaning money (元, 人民币, RMB, CNY, any case) written "yuan", the one
    spelling the figures count as money."""
    unit = data.get("unit")
    if isinstance(unit, str) and unit.strip().lower() in MONEY_UNITS:
        return {**data, "unit": "yuan"}
    return data


def need_create(*, by, region, kind: str, data: dict, today: date | None = None) -> Need:
    """File a draft need for a household (by its number), a village or an institution."""
    require(by, Action.NEED_FILE, region)
    today = today or timezone.localdate()
    data = money_unit({"unit": "yuan", "urgency": 3, **data})
    errors = _validate(data, kind=kind, region=region, today=today)
    if errors:
        raise InvalidInput(errors)
    number = (data.get("household_number") or "").strip() if kind == "household" else ""
    need = Need(
        kind=kind,
        region=region,
        region_path=region.path,
        created_by=by,
        household_number=number,
        household=Household.objects.filter(number=number, village=region).first()
        if number
        else None,
        **{key: data[key] for key in EDITABLE if key in data},
    )
    need.unit = need.unit.strip()
    need.save()
    return need


def need_update(*, by, need: Need, data: dict, today: date | None = None) -> Need:
    """Change a draft's details."""
    require(by, Action.NEED_MANAGE, need)
    if need.status != lifecycle.Status.DRAFT:
        raise InvalidInput([problem("status", _("only a draft can be changed"))])
    merged = (
        {key: getattr(need, key) for key in EDITABLE}
        | {"household_number": need.household_number}
        | money_unit(data)
    )
    errors = _validate(
        merged, kind=need.kind, region=need.region, today=today or timezone.localdate()
    )
    if errors:
        raise InvalidInput(errors)
    for key in EDITABLE:
        setattr(need, key, merged[key])
    if need.kind == "household" and merged["household_number"] != need.household_number:
        need.household_number = merged["household_number"].strip()
        need.household = Household.objects.filter(
            number=need.household_number, village=need.region
        ).first()
    need.save()
    return need


def _facts(need: Need, now) -> checks.Facts:
    same = Need.objects.filter(category=need.category).exclude(pk=need.pk)
    if need.kind == "household":
        same = same.filter(household=need.household) if need.household else same.none()
    elif need.kind == "village":
        same = same.filter(kind="village", region=need.region)
    else:
        same = same.filter(
            kind="institution", region=need.region, institution__iexact=need.institution.strip()
        )
    last = same.filter(fulfilled_at__isnull=False).order_by("-fulfilled_at").first()
    window = now - timedelta(hours=checks.BURST_WINDOW_HOURS)
    return checks.Facts(
        kind=need.kind,
        category=need.category,
        amount=need.amount,
        unit=need.unit,
        household_found=need.household is not None,
        household_status=need.household.status if need.household else None,
        open_duplicates=list(
            same.filter(status__in=[s.value for s in lifecycle.OPEN])
            .exclude(status="draft")
            .values_list("title", flat=True)[:3]
        ),
        last_fulfilled=timezone.localdate(last.fulfilled_at) if last else None,
        filed_recently=Need.objects.filter(
            created_by=need.created_by, submitted_at__gte=window
        ).count(),
        today=timezone.localdate(now),
    )


def reviewers(need: Need):
    """The accounts whose review the need waits for: officers of the pending level on the
    need's region chain."""
    return officers_over(need.region, reviewer_roles(need))


def _notify_reviewers(need: Need) -> None:
    notify(
        users=reviewers(need),
        url=need.get_absolute_url(),
        subject=gettext_lazy("A need waits for your review: %(title)s"),
        params={"title": need.title},
    )


def need_submit(*, by, need: Need) -> Need:
    """Send a draft to review; the filters record their findings for the reviewers."""
    require(by, Action.NEED_MANAGE, need)
    now = timezone.now()
    with transaction.atomic():
        need = (
            Need.objects.select_for_update(of=("self",))
            .select_related("household", "region")
            .get(pk=need.pk)
        )
        try:
            need.status = lifecycle.submit(need.status)
        except lifecycle.Refused as exc:
            raise _refused(exc) from None
        need.submitted_at = now
        need.save()
        need.flags.all().delete()
        NeedFlag.objects.bulk_create(
            NeedFlag(need=need, code=code, params=params)
            for code, params in checks.findings(_facts(need, now))
        )
        _notify_reviewers(need)
    return need


def need_review(
    *, by, need: Need, approve: bool, reason: str = "", overrides: dict[str, str] | None = None
) -> Need:
    """Approve or reject at the pending level. Approving a need with findings needs a
    written reason for each finding not yet overridden (``overrides``: code -> reason)."""
    require(by, Action.NEED_REVIEW, need)
    overrides = {k: (v or "").strip() for k, v in (overrides or {}).items()}
    with transaction.atomic():
        need = Need.objects.select_for_update(of=("self",)).select_related("region").get(pk=need.pk)
        level = lifecycle.pending_level(need.status, settings.NEED_REVIEW_LEVELS)
        try:
            status = lifecycle.review(
                need.status, level, approve, settings.NEED_REVIEW_LEVELS, reason
            )
        except lifecycle.Refused as exc:
            raise _refused(exc, "reason" if exc.code == "reason_required" else "status") from None
        open_flags = list(need.flags.filter(overridden_at__isnull=True))
        if approve:
            missing = [f for f in open_flags if not overrides.get(f.code)]
            if missing:
                raise InvalidInput(
                    [
                        problem(
                            f"override.{f.code}",
                            _("approving despite this finding needs a written reason: %(finding)s")
                            % {"finding": finding_text(f)},
                        )
                        for f in missing
                    ]
                )
            now = timezone.now()
            for flag in open_flags:
                flag.overridden_by, flag.overridden_at = by, now
                flag.override_reason = overrides[flag.code]
                flag.save()
        NeedReview.objects.create(
            need=need,
            level=level,
            by=by,
            reason=reason.strip(),
            decision=Decision.APPROVE if approve else Decision.REJECT,
        )
        need.status = status
        if status == lifecycle.Status.PUBLISHED:
            need.published_at = timezone.now()
        if status == lifecycle.Status.REJECTED:
            need.closing_reason = reason.strip()
            notify(
                users=[need.created_by],
                url=need.get_absolute_url(),
                subject=gettext_lazy("Your need was rejected: %(title)s"),
                body=gettext_lazy("Reason: %(reason)s"),
                params={"title": need.title, "reason": reason.strip()},
            )
        need.save()
        _notify_reviewers(need)
    return need


def need_withdraw(*, by, need: Need, reason: str) -> Need:
    require(by, Action.NEED_MANAGE, need)
    if not reason.strip():
        raise InvalidInput([problem("reason", str(REFUSALS["reason_required"]))])
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        try:
            need.status = lifecycle.withdraw(need.status, need.claimed)
        except lifecycle.Refused as exc:
            raise _refused(exc) from None
        need.closing_reason = reason.strip()
        need.save()
        need_status_changed.send(sender=Need, need=need)
    return need


def need_close(*, by, need: Need) -> Need:
    require(by, Action.NEED_MANAGE, need)
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        try:
            need.status = lifecycle.close(need.status)
        except lifecycle.Refused as exc:
            raise _refused(exc) from None
        need.save()
        need_status_changed.send(sender=Need, need=need)
    return need


def needs_expire(*, today: date) -> int:
    """Expire published needs past their deadline that nobody claimed (a daily job)."""
    expired = 0
    for pk in Need.objects.filter(
        status=lifecycle.Status.PUBLISHED, claimed=0, deadline__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            need = Need.objects.select_for_update().get(pk=pk)
            try:  # a claim may have arrived since the query
                need.status = lifecycle.expire(need.status, need.claimed)
            except lifecycle.Refused:
                continue
            need.save()
            need_status_changed.send(sender=Need, need=need)
            expired += 1
    return expired


def need_document_add(*, by, need: Need, file, is_photo: bool, public_consent: bool = False):
    """Attach a photo or document; photos show on the portal only with the consent box."""
    require(by, Action.NEED_MANAGE, need)
    if not file:
        raise InvalidInput([problem("file", _("choose a file"))])
    if is_photo:
        file = check_upload(file, field="photo", label=_("Photo"), accept=IMAGES)
    else:
        file = check_upload(file, field="file", label=_("Document"), accept=EVIDENCE)
    return NeedDocument.objects.create(
        need=need,
        file=file,
        is_photo=is_photo,
        public_consent=is_photo and public_consent,
        uploaded_by=by,
    )
