"""One settings file, driven by environment variables.

AIDBRIDGE_HOME is the data folder (the keys, the SQLite database, uploads, mail): by default
the project's own var/, next to the source checkout, whatever the current directory.
DATABASE_URL picks the database: SQLite in the data folder by default, PostgreSQL with
``postgres://user:pass@host:port/name``. AIDBRIDGE_SECRET_KEY, AIDBRIDGE_DEBUG and
AIDBRIDGE_ALLOWED_HOSTS configure a deployment; without them the demo works locally.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# The data folder, absolute. AIDBRIDGE_VAR_DIR is its former name, still understood.
AIDBRIDGE_HOME = (
    Path(
        os.environ.get("AIDBRIDGE_HOME")
        or os.environ.get("AIDBRIDGE_VAR_DIR")
        or BASE_DIR.parent / "var"
    )
    .expanduser()
    .resolve()
)


def _secret_key() -> str:
    """Use the configured key, else one kept in the data folder so sessions survive restarts."""
    if key := os.environ.get("AIDBRIDGE_SECRET_KEY"):
        return key
    path = AIDBRIDGE_HOME / "secret_key"
    if not path.exists():
        AIDBRIDGE_HOME.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("AIDBRIDGE_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("AIDBRIDGE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "aidbridge.keys",
    "aidbridge.regions",
    "aidbridge.accounts",
    "aidbridge.helpers",
    "aidbridge.jobs",
    "aidbridge.insights",
    "aidbridge.matching",
    "aidbridge.registry",
    "aidbridge.pairing",
    "aidbridge.needs",
    "aidbridge.notifications",
    "aidbridge.portal",
    "aidbridge.projects",
    "aidbridge.ledger",
    "aidbridge.donations",
    "aidbridge.spending",
    "aidbridge.loans",
    "aidbridge.monitoring",
    "aidbridge.supervision",
    "aidbridge.grievances",
    "aidbridge.assessment",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aidbridge.accounts.language.LanguagePreferenceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aidbridge.accounts.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the login page or API error
]

ROOT_URLCONF = "aidbridge.urls"
WSGI_APPLICATION = "aidbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aidbridge.accounts.context.navigation",
                "aidbridge.ledger.context.alarm",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{AIDBRIDGE_HOME / 'aidbridge.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and a busy timeout: writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "insights:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login hardening (docs/security.md). django-axes counts failed logins on the login page and
# the API token endpoint: AIDBRIDGE_LOGIN_FAILURES wrong passwords for one account, or from
# one address, lock it for AIDBRIDGE_LOCKOUT_MINUTES (from the last failure).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AIDBRIDGE_LOGIN_FAILURES", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AIDBRIDGE_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: account, address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aidbridge.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Two-step login (TOTP, django-otp): anyone may turn it on under My account; these roles must,
# e.g. AIDBRIDGE_REQUIRE_2FA_ROLES=admin,province,city,county (empty: nobody is obliged).
REQUIRE_2FA_ROLES = frozenset(
    r.strip() for r in os.environ.get("AIDBRIDGE_REQUIRE_2FA_ROLES", "").split(",") if r.strip()
)
OTP_TOTP_ISSUER = os.environ.get("AIDBRIDGE_OTP_ISSUER", "AidBridge")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["aidbridge.formats"]
TIME_ZONE = os.environ.get("AIDBRIDGE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = AIDBRIDGE_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve the app's static files without a collectstatic step
MEDIA_ROOT = AIDBRIDGE_HOME / "media"

# Content Security Policy (django-csp): scripts, styles and everything else from this site
# only; no inline script, event handler or style attribute (aidbridge/static/aidbridge/app.js
# reads data attributes instead). The API docs page relaxes it (aidbridge/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Behind an HTTPS proxy (docs/security.md): AIDBRIDGE_HTTPS=1 sends cookies over HTTPS only,
# redirects plain HTTP, sets HSTS, and trusts the proxy's X-Forwarded-Proto header (the proxy
# must set it, and overwrite any the client sent).
HTTPS = os.environ.get("AIDBRIDGE_HTTPS", "") == "1"
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("AIDBRIDGE_HSTS_SECONDS", "31536000"))
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if h and h != "*"]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
SESSION_COOKIE_HTTPONLY = True

TASKS = {
    "default": {
        "BACKEND": os.environ.get("AIDBRIDGE_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# The region tree's levels, top to bottom: key, then the names shown to users.
# Another country configures its own levels here; nothing else assumes China's.
REGION_LEVELS = [
    ("province", _("Province")),
    ("city", _("City")),
    ("county", _("County")),
    ("township", _("Township")),
    ("village", _("Village")),
]

API_PAGE_SIZE = 50

# Poverty line (yuan per person per year) where no region configures its own rules.
DEFAULT_POVERTY_LINE = int(os.environ.get("AIDBRIDGE_POVERTY_LINE", "4000"))
# Officer levels that set the identification rules of their own region (registry/rules.py):
# the province by default; AIDBRIDGE_RULE_LEVELS=province,county lets counties set theirs.
RULE_LEVELS = tuple(
    level.strip()
    for level in os.environ.get("AIDBRIDGE_RULE_LEVELS", "province").split(",")
    if level.strip()
)
# Where villagers may also object to a public notice, besides the village and the township
# (the national poverty-alleviation supervision hotline by default; empty: none).
NOTICE_HOTLINE = os.environ.get("AIDBRIDGE_NOTICE_HOTLINE", "12317")

# Ages the registry checks against relations to the head (registry/ages.py). China's Civil
# Code: marriage at 22 for men and 20 for women (art. 1047, e.g. AIDBRIDGE_MARRIAGE_AGES=22,20
# for men, women); adults at 18, and at 16 those who live by their own labour (art. 17-18).
_men, _women = os.environ.get("AIDBRIDGE_MARRIAGE_AGES", "22,20").split(",")
REGISTRY_AGES = {
    "marriage": {"male": int(_men), "female": int(_women)},
    "independent": 16,
    "adult": 18,
}

# Searches by full resident ID: at most ID_SEARCH_LIMIT per user within ID_SEARCH_WINDOW
# seconds (registry/id_search.py), so that the search cannot test guessed numbers.
ID_SEARCH_LIMIT = int(os.environ.get("AIDBRIDGE_ID_SEARCH_LIMIT", "30"))
ID_SEARCH_WINDOW = int(os.environ.get("AIDBRIDGE_ID_SEARCH_WINDOW", "3600"))

# Levels that review a need before it is published, in order (a subset of township, county,
# city), e.g. AIDBRIDGE_NEED_REVIEW_LEVELS=township,county.
NEED_REVIEW_LEVELS = tuple(
    os.environ.get("AIDBRIDGE_NEED_REVIEW_LEVELS", "township,county").split(",")
)

# The ledger's signed checkpoints. The origin names the log and its signing key: set it once
# to the portal's host and path (aid.example.gov.cn/ledger) and never change it. The key is an
# Ed25519 seed, 32 bytes in hex or base64; without it, ledger_key in the data folder is made
# on first use.
LEDGER_ORIGIN = os.environ.get("AIDBRIDGE_LEDGER_ORIGIN", "aidbridge.localhost/ledger")
LEDGER_KEY = os.environ.get("AIDBRIDGE_LEDGER_KEY", "")

# Open data (docs/opendata.md): the IATI organisation identifier under which reporting
# organisations without a unified social credit code get a ref, e.g. the operator's own
# CN-USCC-<code>; "AIDBRIDGE" is a placeholder, registered nowhere.
OPENDATA_ORG_PREFIX = os.environ.get("AIDBRIDGE_OPENDATA_ORG_PREFIX", "AIDBRIDGE")

# Uploads and imports (docs/security.md, "Uploads and files"). Every uploaded file passes
# aidbridge.uploads.check_upload: its kind is read from its content, its size is capped, and
# images are re-encoded (at most UPLOAD_MAX_PIXELS pixels). Household imports are refused
# before they are read when they pass these limits: a national import is about a million
# member rows of 17 columns.
# The largest amount one spending may move, in fen (a hundred billion yuan by default).
SPENDING_MAX_FEN = int(os.environ.get("AIDBRIDGE_SPENDING_MAX_FEN", 10**13))
UPLOAD_MAX_BYTES = int(os.environ.get("AIDBRIDGE_UPLOAD_MAX_BYTES", 20 * 2**20))
UPLOAD_MAX_PIXELS = int(os.environ.get("AIDBRIDGE_UPLOAD_MAX_PIXELS", 50_000_000))
IMPORT_MAX_BYTES = int(os.environ.get("AIDBRIDGE_IMPORT_MAX_BYTES", 256 * 2**20))
IMPORT_MAX_ROWS = int(os.environ.get("AIDBRIDGE_IMPORT_MAX_ROWS", 1_100_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("AIDBRIDGE_IMPORT_MAX_COLUMNS", 40))
IMPORT_MAX_CELLS = int(os.environ.get("AIDBRIDGE_IMPORT_MAX_CELLS", 25_000_000))
# An XLSX's parts once unpacked: all together (worksheets are streamed), and each part that
# is read whole into memory (the shared strings, styles, workbook).
IMPORT_MAX_UNPACKED = int(os.environ.get("AIDBRIDGE_IMPORT_MAX_UNPACKED", 2**30))
IMPORT_MAX_XML_PART = int(os.environ.get("AIDBRIDGE_IMPORT_MAX_XML_PART", 128 * 2**20))
# An import lists at most this many problems (and counts the rest); a job's page and API
# show the first JOB_PROBLEMS_SHOWN, its problems file has them all.
IMPORT_MAX_PROBLEMS = int(os.environ.get("AIDBRIDGE_IMPORT_MAX_PROBLEMS", 10_000))
JOB_PROBLEMS_SHOWN = 100

# Email: SMTP when AIDBRIDGE_EMAIL_HOST is set, else messages are written to the data folder.
if EMAIL_HOST := os.environ.get("AIDBRIDGE_EMAIL_HOST", ""):
    EMAIL_PORT = int(os.environ.get("AIDBRIDGE_EMAIL_PORT", "25"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = AIDBRIDGE_HOME / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("AIDBRIDGE_EMAIL_FROM", "AidBridge <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "aidbridge": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # axes would log usernames and addresses of failed logins: they stay in its
        # table (`aidbridge axes_list_attempts`), not in the logs.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Micro-loans: the largest principal recorded (fen; 1,000,000 yuan by default) and how many
# days after its due date an unpaid instalment counts as overdue.
LOAN_MAX_PRINCIPAL = int(os.environ.get("AIDBRIDGE_LOAN_MAX_PRINCIPAL", 100_000_000))
LOAN_GRACE_DAYS = int(os.environ.get("AIDBRIDGE_LOAN_GRACE_DAYS", 30))

# Grievances (docs/supervision.md, "Grievances"): the time limit of each severity (hours "24h"
# or working days "3d"), e.g. AIDBRIDGE_GRIEVANCE_LIMITS=critical=24h,high=3d,medium=7d,low=14d;
# a category's own limits in GRIEVANCE_CATEGORY_LIMITS ({"misuse": {"high": "2d"}}); the
# level a new complaint sits at (a region level; a complaint about a wider region sits at
# that region's level); and the days after a decision in which the complainant may appeal.
GRIEVANCE_LIMITS = dict(
    item.strip().split("=", 1)
    for item in os.environ.get(
        "AIDBRIDGE_GRIEVANCE_LIMITS", "critical=24h,high=3d,medium=7d,low=14d"
    ).split(",")
    if "=" in item
)
GRIEVANCE_CATEGORY_LIMITS: dict = {}
GRIEVANCE_LEVEL = os.environ.get("AIDBRIDGE_GRIEVANCE_LEVEL", "township")
GRIEVANCE_APPEAL_DAYS = int(os.environ.get("AIDBRIDGE_GRIEVANCE_APPEAL_DAYS", "30"))
# The categories offered (key, label); the keys child_abuse and violence escalate at once.
GRIEVANCE_CATEGORIES = [
    ("aid_not_received", _("Aid not received")),
    ("wrong_identification", _("Wrong identification")),
    ("wrong_exit", _("Wrong exit")),
    ("misuse_of_funds", _("Misuse of funds")),
    ("false_need", _("False need")),
    ("officer_misconduct", _("Officer misconduct")),
    ("child_abuse", _("Abuse of a child")),
    ("violence", _("Violence")),
    ("other", _("Other")),
]
# Random inspection: the days a responsible unit has to rectify a finding, per finding kind
# (supervision.models.FindingKind; "default" for the others), and the days an overdue order
# gets at each level it is escalated to before it goes up again.
SUPERVISION_ORDER_DAYS = {"default": int(os.environ.get("AIDBRIDGE_SUPERVISION_ORDER_DAYS", 30))}
SUPERVISION_ESCALATION_DAYS = int(os.environ.get("AIDBRIDGE_SUPERVISION_ESCALATION_DAYS", 7))
