"""Writers of helpers: registration (from the public portal), verification by an officer,
and the helper's own profile."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from aidbridge.accounts.models import Role, User
from aidbridge.accounts.selectors import officers_over
from aidbridge.categories import Category
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers import uscc
from aidbridge.helpers.models import HelperDocument, Organization, OrganizationKind
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, require, verifier_roles
from aidbridge.uploads import EVIDENCE, IMAGES, check_upload

PLEASE_VERIFY = gettext_lazy("A new helper waits for verification: %(name)s")
# What an officer checked when verifying: changing one of them needs a new verification.
REVERIFY = (
    "name_zh",
    "name_en",
    "registration_number",
    "credit_code",
    "deduction_from",
    "deduction_until",
)
PROFILE = (*REVERIFY, "description", "fields")
SEAL_MAX_BYTES = 2 * 2**20
SEAL_MAX_SIDE = 2000  # pixels
VERIFIED = gettext_lazy("Your helper is verified and may now claim needs: %(name)s")
NOT_VERIFIED = gettext_lazy("An officer did not verify your helper yet: %(name)s")
REASON = gettext_lazy("Reason: %(reason)s")


def _validate_profile(data: dict) -> list[dict]:
    errors = []
    if not (data.get("name_zh") or "").strip():
        errors.append(problem("name_zh", _("is empty")))
    if data.get("kind") not in OrganizationKind.values:
        errors.append(problem("kind", _("choose one of the kinds")))
    if (
        data.get("kind") not in (OrganizationKind.INDIVIDUAL, None)
        and not (data.get("registration_number") or "").strip()
    ):
        errors.append(
            problem(
                "registration_number",
                _("an organization needs its registration number (unified social credit code)"),
            )
        )
    number = (data.get("registration_number") or "").strip().upper()
    if len(number) == uscc.LENGTH and not uscc.is_valid(number):
        errors.append(
            problem(
                "registration_number",
                _(
                    "is not a valid unified social credit code: check its 18 characters "
                    "(the last is a check character)"
                ),
            )
        )
    errors += _receipt_problems(data)
    unknown = [f for f in data.get("fields") or [] if f not in Category.values]
    if unknown:
        errors.append(
            problem("fields", _("unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
        )
    return errors


def _receipt_problems(data: dict) -> list[dict]:
    """What is wrong with what the helper's receipts print: its credit code and the years of
    its pre-tax deduction qualification."""
    errors = []
    code = (data.get("credit_code") or "").strip().upper()
    if code and not uscc.is_valid(code):
        errors.append(
            problem(
                "credit_code",
                _(
                    "is not a valid unified social credit code: check its 18 characters "
                    "(the last is a check character)"
                ),
            )
        )
    first, last = data.get("deduction_from"), data.get("deduction_until")
    for field, year in (("deduction_from", first), ("deduction_until", last)):
        if year is not None and (not isinstance(year, int) or not 2000 <= year <= 2100):
            errors.append(problem(field, _("write a year from 2000 to 2100")))
    if last is not None and first is None:
        errors.append(problem("deduction_from", _("write the first year of the qualification")))
    elif isinstance(first, int) and isinstance(last, int) and last < first:
        errors.append(problem("deduction_until", _("is before the first year")))
    if first is not None and data.get("kind") == OrganizationKind.INDIVIDUAL:
        errors.append(problem("deduction_from", _("an individual issues no receipts")))
    return errors


def _checked_documents(documents) -> list:
    """The uploaded documents, each checked as evidence (a photo, a PDF, a Word or Excel
    file), named in the errors by its position."""
    checked, errors = [], []
    for n, file in enumerate(documents or [], start=1):
        try:
            checked.append(
                check_upload(
                    file,
                    field="documents",
                    label=_("Document %(n)s") % {"n": n},
                    accept=EVIDENCE,
                )
            )
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return checked


def helper_register(
    *, data: dict, username: str, password: str, email: str = "", documents=()
) -> User:
    """A helper signs up: an unverified helper and its first account, the helper's admin,
    with the documents for its verification. Officers of the region it names are told to
    verify it."""
    errors = _validate_profile(data)
    if data.get("region") is None:
        errors.append(problem("region", _("choose the region where you are registered or live")))
    errors += _account_problems(username, password)
    try:
        documents = _checked_documents(documents)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        base = slugify(data.get("name_en") or username)[:30] or "helper"
        code, n = base, 1
        while Organization.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        helper = Organization.objects.create(
            code=code,
            name_zh=data["name_zh"].strip(),
            name_en=(data.get("name_en") or "").strip(),
            kind=data["kind"],
            registration_number=(data.get("registration_number") or "").strip(),
            government_background=bool(data.get("government_background")),
            social_enterprise=bool(data.get("social_enterprise")),
            fields=list(data.get("fields") or []),
            region=data["region"],
            description=(data.get("description") or "").strip(),
        )
        user = _staff_account(helper, username, password, email, admin=True)
        for file in documents:
            HelperDocument.objects.create(
                helper=helper, title=_title(file), file=file, uploaded_by=user
            )
        notify(
            users=officers_over(helper.region, verifier_roles()),
            url=helper.get_absolute_url(),
            subject=PLEASE_VERIFY,
            params={"name": helper.name_zh},
        )
    return user


def helper_verify(*, by, helper: Organization) -> Organization:
    require(by, Action.HELPER_VERIFY, helper)
    if helper.verified:
        raise InvalidInput([problem("verified", _("is already verified"))])
    helper.verified_at, helper.verified_by = timezone.now(), by
    helper.rejected_at = helper.rejected_by = None
    helper.rejection_reason = ""
    helper.save()
    notify(
        users=helper.staff.all(),
        url=helper.get_absolute_url(),
        subject=VERIFIED,
        params={"name": helper.name_zh},
    )
    return helper


def helper_reject(*, by, helper: Organization, reason: str) -> Organization:
    """An officer does not verify the helper and says why; its staff are told, and what they
    correct or add goes back to the officers."""
    require(by, Action.HELPER_VERIFY, helper)
    if helper.verified:
        raise InvalidInput([problem("verified", _("is already verified"))])
    if not reason.strip():
        raise InvalidInput([problem("reason", _("write the reason, for the helper to read"))])
    helper.rejected_at, helper.rejected_by = timezone.now(), by
    helper.rejection_reason = reason.strip()
    helper.save()
    notify(
        users=helper.staff.all(),
        url=helper.get_absolute_url(),
        subject=NOT_VERIFIED,
        body=REASON,
        params={"name": helper.name_zh, "reason": helper.rejection_reason},
    )
    return helper


def _back_to_officers(helper: Organization) -> None:
    """A helper not verified with a reason has corrected or added something: the officers
    look again."""
    if helper.rejected_at is None or helper.verified:
        return
    helper.rejected_at = helper.rejected_by = None
    helper.save()
    if helper.region is not None:
        notify(
            users=officers_over(helper.region, verifier_roles()),
            url=helper.get_absolute_url(),
            subject=PLEASE_VERIFY,
            params={"name": helper.name_zh},
        )


def _title(file) -> str:
    return (file.name or "").rsplit("/", 1)[-1][:120] or _("Document")


def helper_document_add(*, by, helper: Organization, file, title: str = "") -> HelperDocument:
    """The helper's staff add a document for its verification (checked as evidence)."""
    require(by, Action.HELPER_EDIT, helper)
    if not file:
        raise InvalidInput([problem("file", _("choose the file"))])
    [file] = _checked_documents([file])
    with transaction.atomic():
        document = HelperDocument.objects.create(
            helper=helper, title=title.strip()[:120] or _title(file), file=file, uploaded_by=by
        )
        _back_to_officers(helper)
    return document


def helper_staff_create(
    *, by, helper: Organization, username: str, password: str, email: str = "", admin=False
) -> User:
    """The helper's admin creates a staff account for it (``admin``: one who may create
    accounts too)."""
    require(by, Action.HELPER_STAFF, helper)
    if errors := _account_problems(username, password):
        raise InvalidInput(errors)
    return _staff_account(helper, username, password, email.strip(), admin=bool(admin))


def _account_problems(username: str, password: str) -> list[dict]:
    """What is wrong with a new staff account's username and password."""
    errors = []
    if not username.strip() or User.objects.filter(username=username.strip()).exists():
        errors.append(problem("username", _("is empty or already taken")))
    if len(password) < 8:
        errors.append(problem("password", _("needs at least 8 characters")))
    return errors


def _staff_account(helper: Organization, username: str, password: str, email: str, *, admin):
    """A new account of the helper's staff (a donor's, for an individual)."""
    role = Role.DONOR if helper.kind == OrganizationKind.INDIVIDUAL else Role.ORG_STAFF
    user = User(
        username=username.strip(), role=role, organization=helper, email=email, helper_admin=admin
    )
    user.set_password(password)
    user.save()
    return user


def helper_set_hub(*, by, helper: Organization, hub: bool) -> Organization:
    """A verifying officer makes a verified helper a coordinating hub (or stops it being one):
    a hub's staff run matching rounds in its service regions."""
    require(by, Action.HELPER_VERIFY, helper)
    if hub and not helper.verified:
        raise InvalidInput([problem("hub", _("verify the helper first"))])
    helper.hub = hub
    helper.save()
    return helper


def helper_update(*, by, helper: Organization, data: dict) -> Organization:
    """The helper's staff change its profile, fields of work and service regions. A new
    name, registration number, credit code or pre-tax deduction qualification (what its
    receipts print) needs a new verification."""
    require(by, Action.HELPER_EDIT, helper)
    profile = {key: getattr(helper, key) for key in ("kind", *REVERIFY)} | data
    errors = _validate_profile(profile)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        before = {key: getattr(helper, key) for key in REVERIFY}
        for key in PROFILE:
            if key in data:
                setattr(helper, key, data[key].strip() if isinstance(data[key], str) else data[key])
        helper.credit_code = helper.credit_code.upper()
        recheck = helper.verified and any(
            getattr(helper, key) != value for key, value in before.items()
        )
        if recheck:
            helper.verified_at = helper.verified_by = None  # an officer checks it again
        helper.save()
        _back_to_officers(helper)
        if recheck and helper.region is not None:
            notify(
                users=officers_over(helper.region, verifier_roles()),
                url=helper.get_absolute_url(),
                subject=PLEASE_VERIFY,
                params={"name": helper.name_zh},
            )
        if "service_regions" in data:
            helper.service_regions.set(data["service_regions"])
    return helper


def helper_seal_set(*, by, helper: Organization, file) -> Organization:
    """The helper's admin uploads its seal for the receipts it prints: an image, drawn again
    by Pillow and kept as PNG (transparency kept)."""
    require(by, Action.HELPER_SEAL, helper)
    if not file:
        raise InvalidInput([problem("seal", _("choose the seal's image"))])
    label = _("The seal image")
    clean = check_upload(file, field="seal", label=label, accept=IMAGES, max_bytes=SEAL_MAX_BYTES)
    with Image.open(clean) as image:
        if max(image.size) > SEAL_MAX_SIDE:
            raise InvalidInput(
                [
                    problem(
                        "seal",
                        _("%(label)s is too large: at most %(side)s pixels a side")
                        % {"label": label, "side": SEAL_MAX_SIDE},
                    )
                ]
            )
        out = io.BytesIO()
        image.convert("RGBA").save(out, format="PNG")
    with transaction.atomic():
        old = helper.seal.name
        helper.seal.save(f"{helper.code}.png", ContentFile(out.getvalue()), save=False)
        helper.save()
    if old and old != helper.seal.name:
        helper.seal.storage.delete(old)
    return helper


def helper_seal_remove(*, by, helper: Organization) -> Organization:
    """The helper's admin removes its seal: receipts are printed without it."""
    require(by, Action.HELPER_SEAL, helper)
    if helper.seal:
        helper.seal.delete(save=False)
        helper.save()
    return helper
