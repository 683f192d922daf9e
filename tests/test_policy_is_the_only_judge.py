"""Every permission decision goes through aidbridge/policy.py: no module outside it checks
roles, role sets, the admin flag or region scope by hand, and the policy's role sets are its
own."""

import re
from pathlib import Path

from aidbridge import policy

ROOT = Path(policy.__file__).parent
# The account's shape (which roles need a region, and at which level) is stated by the
# accounts app, which validates it; it decides no permission.
ACCOUNT_SHAPE = {"accounts/models.py", "accounts/forms.py", "accounts/services.py"}
FORBIDDEN = {
    "a role set of the policy": re.compile(
        r"\b_?(HISTORY_ROLES|PERSONAL_DATA_ROLES|REGISTRARS|HELPER_ROLES|HELPER_VERIFIERS"
        r"|ACCOUNT_MANAGERS|PAIRING_MANAGERS|MATCHING_RUNNERS|PROJECT_MANAGERS)\b"
    ),
    "a private name of the policy": re.compile(
        r"from aidbridge\.policy import [^\n]*\b_\w|from aidbridge\.policy import \([^)]*\b_\w"
        r"|\bpolicy\._\w"
    ),
    "the admin or scope test": re.compile(r"\b(is_admin|has_region_scope)\(|\.is_superuser\b"),
    "a refusal decided by hand": re.compile(r"raise NotAllowed\b"),
    "a check of the user's role": re.compile(
        r"\b(user|by|request\.user|request\.auth|manager)\.role\s*(==|!=|in\b|not in\b)"
    ),
}
ROLE_SHAPE = re.compile(r"\b(OFFICER_LEVELS|REGION_ROLES)\b")


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name != "policy.py" and "/migrations/" not in name:
            yield name, path.read_text(encoding="utf-8")


def test_no_module_decides_permissions_by_hand():
    found = []
    for name, text in sources():
        for line_no, line in enumerate(text.splitlines(), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line) and not (
                    what == "a check of the user's role" and name in ACCOUNT_SHAPE
                ):
                    found.append(f"{name}:{line_no}: {what}: {line.strip()}")
            if ROLE_SHAPE.search(line) and name not in ACCOUNT_SHAPE:
                found.append(f"{name}:{line_no}: a role set of accounts: {line.strip()}")
    assert found == []


def test_the_check_finds_what_it_forbids():
    """The patterns match the forms they are meant to catch (so the test above can fail)."""
    samples = {
        "a role set of the policy": "if user.role in HISTORY_ROLES:",
        "a private name of the policy": "from aidbridge.policy import _REGISTRARS, can",
        "the admin or scope test": "if has_region_scope(user) or is_admin(user):",
        "a refusal decided by hand": 'raise NotAllowed("donation")',
        "a check of the user's role": "if request.user.role in {Role.CLERK}:",
    }
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
    assert ROLE_SHAPE.search("level = OFFICER_LEVELS.get(user.role)")


def test_the_policys_role_sets_are_private():
    public_sets = [
        name
        for name, value in vars(policy).items()
        if isinstance(value, set | frozenset | dict) and not name.startswith("_")
    ]
    assert public_sets == []
    assert policy._HISTORY_ROLES and policy._REGISTRARS
