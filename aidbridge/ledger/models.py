"""The ledger: accounts, entries (double-entry transactions) with their postings, and signed
checkpoints of the Merkle tree of the entries.

Entries, postings and checkpoints are append-only: their ``save`` only inserts, ``delete`` and
queryset ``update``/``delete`` refuse, and corrections are reversing entries. Database checks
keep amounts non-zero, quantities signed like their amounts and reversals pointing back
(spelled out with IS NOT NULL: a CHECK that comes out NULL passes). A change made behind the
application's back (SQL) is not prevented but found: each entry's leaf hash and the signed
checkpoints evidence what was written (verification.py). Entries need no history records.

Balances are never stored: they are sums of postings (selectors.py). An account's balance is
what it received less what it gave, so a donor's is negative: minus what it donated.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aidbridge.errors import AidBridgeError
from aidbridge.ledger.encoding import CODE_PATTERN
from aidbridge.ledger.merkle import HASH_SIZE


class AccountKind(models.TextChoices):
    """Who or what holds an account. EXTERNAL is the world outside the platform: the state
    budget that funds a government fund, the suppliers and providers paid for goods and
    services, the market that values goods given in kind, goods written off. Every entry must
    balance, so money or materials entering or leaving the platform need that counter-account."""

    DONOR = "donor", _("Donor")
    ORGANIZATION = "organization", _("Organization")
    PROJECT = "project", _("Project")
    NEED = "need", _("Need")
    HOUSEHOLD = "household", _("Household")
    GOVERNMENT_FUND = "government_fund", _("Government fund")
    EXTERNAL = "external", _("Outside the platform")


HELPER_ACCOUNTS = (AccountKind.DONOR, AccountKind.ORGANIZATION, AccountKind.GOVERNMENT_FUND)


class Account(models.Model):
    """Whoever or whatever money and materials move between; linked to the helper, need or
    household or project it stands for. Names may change, the code never."""

    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    code = models.CharField(  # in every entry's hash (encoding.py): never changed
        _("code"), max_length=80, unique=True, validators=[RegexValidator(f"^{CODE_PATTERN}$")]
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "helpers.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("helper"),
    )
    need = models.OneToOneField(
        "needs.Need",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_account",
        verbose_name=_("need"),
    )
    household = models.OneToOneField(
        "registry.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_account",
        verbose_name=_("household"),
    )
    project = models.OneToOneField(
        "projects.Project",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_account",
        verbose_name=_("project"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(kind__in=HELPER_ACCOUNTS),
                name="ledger_account_helper_only_for_helper_kinds",
            ),
            models.CheckConstraint(
                condition=Q(need__isnull=True) | Q(kind=AccountKind.NEED),
                name="ledger_account_need_only_for_need_kind",
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=True) | Q(kind=AccountKind.HOUSEHOLD),
                name="ledger_account_household_only_for_household_kind",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(kind=AccountKind.PROJECT),
                name="ledger_account_project_only_for_project_kind",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=Q(organization__isnull=False),
                name="ledger_account_one_per_helper_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class AppendOnly(AidBridgeError):
    """An attempt to change or remove a ledger record."""


class LedgerCorrupt(AidBridgeError):
    """Stored entries or checkpoints that do not match each other: ``aidbridge ledger verify``
    says where. ``seq`` is the first entry found wrong, when one is."""

    def __init__(self, message: str, seq: int | None = None):
        super().__init__(message)
        self.message, self.seq = message, seq  # a Sentence, to be written in every language


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(f"{self.model.__name__} rows are never updated")

    def delete(self):
        raise AppendOnly(f"{self.model.__name__} rows are never deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"{type(self).__name__} rows are never updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{type(self).__name__} rows are never deleted")


class EntryKind(models.TextChoices):
    """The stored values go into every entry's hash: never rename them."""

    DONATION = "donation", _("Donation")
    TRANSFER = "transfer", _("Transfer")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REFUND = "refund", _("Refund")
    SERVICE_PURCHASE = "service_purchase", _("Government purchase of services")
    LOAN_DISBURSEMENT = "loan_disbursement", _("Micro-loan disbursed")
    LOAN_REPAYMENT = "loan_repayment", _("Micro-loan repaid")
    REVERSAL = "reversal", _("Reversal")
    KEY_HANDOVER = "key_handover", _("Signing key handover")  # no postings: keys.py
    PURCHASE = "purchase", _("Purchase of goods")


def _hash_is_32_bytes(field: str):
    return Exact(Length(field), HASH_SIZE)


class Entry(AppendOnlyModel):
    """One transaction: postings that sum to zero. ``seq`` runs 1, 2, 3, ... without gaps and
    is the primary key; the entry is leaf seq - 1 of the Merkle tree."""

    seq = models.PositiveBigIntegerField(_("number"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("posted"))
    leaf_hash = models.BinaryField(max_length=HASH_SIZE)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=1), name="ledger_entry_seq_from_1"),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REVERSAL, reverses__isnull=False, reverses__lt=F("seq"))
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
                name="ledger_entry_reversal_reverses_an_earlier_entry",
            ),
            models.CheckConstraint(
                condition=_hash_is_32_bytes("leaf_hash"), name="ledger_entry_leaf_hash_32_bytes"
            ),
        ]
        indexes = [  # the few key handovers, read before every checkpoint is signed (keys.py)
            models.Index(
                fields=["seq"], condition=Q(kind="key_handover"), name="ledger_entry_key_handovers"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class Posting(AppendOnlyModel):
    """One account's part of an entry: signed fen, and for materials a signed quantity."""

    entry = models.ForeignKey(Entry, models.PROTECT, related_name="postings")
    line = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        Account, models.PROTECT, related_name="postings", verbose_name=_("account")
    )
    amount = models.BigIntegerField(_("amount (fen)"))
    quantity = models.BigIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    class Meta:
        ordering = ["entry", "line"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "line"], name="ledger_posting_line_once"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_posting_amount_not_0"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True, unit="")
                | Q(quantity__isnull=False, quantity__gt=0, amount__gt=0) & ~Q(unit="")
                | Q(quantity__isnull=False, quantity__lt=0, amount__lt=0) & ~Q(unit=""),
                name="ledger_posting_quantity_with_unit_signed_like_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.entry_id}.{self.line} {self.amount}"


class Checkpoint(AppendOnlyModel):
    """A signed checkpoint (a C2SP signed note, checkpoint.py) of the first ``size`` entries.
    ``size`` and ``root`` repeat what the note says, for queries; the note is what counts."""

    size = models.PositiveBigIntegerField(_("entries"), unique=True)
    root = models.BinaryField(max_length=HASH_SIZE)
    note = models.TextField(_("signed note"))
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        ordering = ["size"]
        verbose_name = _("ledger checkpoint")
        verbose_name_plural = _("ledger checkpoints")
        constraints = [
            models.CheckConstraint(
                condition=_hash_is_32_bytes("root"), name="ledger_checkpoint_root_32_bytes"
            ),
        ]

    def __str__(self) -> str:
        return str(self.size)


NODE_HEIGHT = 8  # the lowest height stored; changing it needs a migration that redoes TreeNode


class TreeNode(AppendOnlyModel):
    """The root of a perfect subtree of the entries' Merkle tree: leaves (seq - 1)
    ``index * 2**height`` to ``(index + 1) * 2**height - 1``, stored for every height from
    NODE_HEIGHT up, in the transaction of the append that completes it (about one node per
    128 entries). With the leaf hashes of at most a few blocks of 2**NODE_HEIGHT entries they
    give any root, inclusion or consistency proof in O(log n) rows (selectors.py). Derived
    data: ``aidbridge ledger verify`` recomputes every node from the entry rows."""

    pk = models.CompositePrimaryKey("height", "index")
    height = models.PositiveSmallIntegerField(_("height"))
    index = models.PositiveBigIntegerField(_("index"))
    hash = models.BinaryField(max_length=HASH_SIZE)

    class Meta:
        verbose_name = _("ledger tree node")
        verbose_name_plural = _("ledger tree nodes")
        constraints = [
            models.CheckConstraint(
                condition=Q(height__gte=NODE_HEIGHT), name="ledger_treenode_stored_heights"
            ),
            models.CheckConstraint(
                condition=_hash_is_32_bytes("hash"), name="ledger_treenode_hash_32_bytes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.height}/{self.index}"


class LedgerAlarm(models.Model):
    """A mismatch that signing a checkpoint or verifying the ledger found: shown on the public
    ledger page, to platform administrators and on receipts until a full verification passes
    (``resolved_at``). ``problem`` is the first problem found, as a sentence."""

    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    found_by = models.CharField(_("found by"), max_length=20)  # checkpoint, verify, receipt
    first_bad_entry = models.PositiveBigIntegerField(_("first bad entry"), null=True)
    first_bad_checkpoint = models.PositiveBigIntegerField(_("first bad checkpoint"), null=True)
    problem = models.TextField(_("problem"))
    problem_texts = models.JSONField(default=dict, blank=True)  # the problem in each language
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-found_at"]
        verbose_name = _("ledger alarm")
        verbose_name_plural = _("ledger alarms")

    def __str__(self) -> str:
        return self.shown_problem

    @property
    def shown_problem(self) -> str:
        """The problem in the active language (as written when found, for older alarms)."""
        return self.problem_texts.get(get_language() or "", self.problem)
