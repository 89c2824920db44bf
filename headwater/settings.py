"""Headwater settings. Everything that differs between machines comes from the environment.

Development defaults are safe to run on a laptop; `HEADWATER_PRODUCTION=true` switches on the
production profile, which refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
See docs/deploy.md.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from headwater.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("HEADWATER_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_bool("HEADWATER_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG=true is refused when HEADWATER_PRODUCTION=true: debug pages show settings and "
            "code to anyone. Unset DEBUG (or set DEBUG=false)."
        )
    if not SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be set to 32+ random characters in production")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    # HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto (docs/deploy.md).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a promise registered at hstspreload.org for a public domain; an
        # intranet host name cannot take part, so the reminder would only be noise.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("SECURE_PROXY_SSL_HEADER", PRODUCTION):
    # Only behind a proxy that sets (and overwrites) X-Forwarded-Proto; otherwise a client
    # could claim HTTPS itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "auditlog",
    "huey.contrib.djhuey",
    "ninja",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.dingtalk",
    "headwater.core",
    "headwater.alerts",
    "headwater.health",
    "headwater.isolation",
    "headwater.testing",
    "headwater.duty",
    "headwater.access",
    "headwater.network",
    "headwater.quality",
    "headwater.briefing",
    "headwater.notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may answer early (a bad host, a CSRF refusal), inside WhiteNoise
    # (static files need no policy).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "headwater.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "headwater.core.accounts.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "headwater.core.audit.AuditMiddleware",  # auditlog's, with nestable actor blocks
]

ROOT_URLCONF = "headwater.urls"
WSGI_APPLICATION = "headwater.wsgi.application"
AUTH_USER_MODEL = "core.User"
# Sign-in (ADR 0012, core/accounts.py): django-allauth. RoleBackend signs in by staff number;
# AccountBackend (a RoleBackend too: same get_user and permissions) by phone number.
AUTHENTICATION_BACKENDS = [
    "headwater.core.backends.RoleBackend",
    "headwater.core.accounts.AccountBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ACCOUNT_ADAPTER = "headwater.core.accounts.AccountAdapter"
ACCOUNT_FORMS = {"login": "headwater.core.accounts.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]  # signup itself is closed (the adapter)
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True  # the lifetime is set from the roles, below
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # a sign-in this recent counts as re-authenticated
ACCOUNT_USER_DISPLAY = "headwater.core.accounts.display_name"
# A one-time code by SMS (core/sms.py) to the phone on the roster.
HEADWATER_SMS_SENDER = env_str("HEADWATER_SMS_SENDER", "headwater.core.sms.FileSender")
# In production only a real sender (core.sms.AliyunSender, TencentSender, a deployment's own
# adapter) switches it on: the file and memory senders deliver nothing.
ACCOUNT_LOGIN_BY_CODE_ENABLED = env_bool(
    "HEADWATER_SMS_LOGIN",
    not PRODUCTION
    or HEADWATER_SMS_SENDER
    not in ("headwater.core.sms.FileSender", "headwater.core.sms.MemorySender"),
)
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = env_int("HEADWATER_SMS_CODE_SECONDS", 300)
# The real providers (core.sms.AliyunSender, core.sms.TencentSender; docs/deploy.md).
HEADWATER_SMS_ACCESS_KEY_ID = env_str("HEADWATER_SMS_ACCESS_KEY_ID", "")
HEADWATER_SMS_ACCESS_KEY_SECRET = env_str("HEADWATER_SMS_ACCESS_KEY_SECRET", "")
HEADWATER_SMS_SIGN_NAME = env_str("HEADWATER_SMS_SIGN_NAME", "")
HEADWATER_SMS_TEMPLATE = env_str("HEADWATER_SMS_TEMPLATE", "")
HEADWATER_SMS_TEMPLATE_ACTIVATION = env_str("HEADWATER_SMS_TEMPLATE_ACTIVATION", "")
HEADWATER_SMS_REGION = env_str("HEADWATER_SMS_REGION", "")
HEADWATER_SMS_SDK_APP_ID = env_str("HEADWATER_SMS_SDK_APP_ID", "")
HEADWATER_SMS_TIMEOUT = env_int("HEADWATER_SMS_TIMEOUT", 5)
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
# Throttling (allauth rate limits, kept in the cache: REDIS_URL shares them between processes).
# Failed sign-ins: per account (staff number and phone count together) and per address; a whole
# plant may sit behind one address, so the address limits are wide.
# Behind a proxy: how many proxies append to X-Forwarded-For (the address counted is the client's).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
HEADWATER_LOGIN_LOCKOUT_MINUTES = env_int("HEADWATER_LOGIN_LOCKOUT_MINUTES", 15)
HEADWATER_LOGIN_FAILURES = env_int("HEADWATER_LOGIN_FAILURES", 5)
HEADWATER_LOGIN_FAILURES_PER_ADDRESS = env_int("HEADWATER_LOGIN_FAILURES_PER_ADDRESS", 60)
ACCOUNT_RATE_LIMITS = {
    "login": env_str("HEADWATER_RATE_LOGIN", "300/m/ip"),
    "login_failed": f"{HEADWATER_LOGIN_FAILURES_PER_ADDRESS}/{HEADWATER_LOGIN_LOCKOUT_MINUTES}m/ip,"
    f"{HEADWATER_LOGIN_FAILURES}/{HEADWATER_LOGIN_LOCKOUT_MINUTES}m/key",
    "request_login_code": env_str("HEADWATER_RATE_SMS_CODE", "60/m/ip,3/5m/key"),
    "reauthenticate": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
# How long a sign-in lasts: phones of staff long (they check in twice a day), office and admin
# accounts short.
HEADWATER_SESSION_DAYS_STAFF = env_int("HEADWATER_SESSION_DAYS_STAFF", 30)
HEADWATER_SESSION_HOURS_OFFICE = env_int("HEADWATER_SESSION_HOURS_OFFICE", 12)
SESSION_COOKIE_AGE = HEADWATER_SESSION_DAYS_STAFF * 86400
# Activation codes of logins created from the roster (core.logins): single use, this many days.
HEADWATER_ACTIVATION_DAYS = env_int("HEADWATER_ACTIVATION_DAYS", 14)
# Second factor (allauth.mfa): TOTP with recovery codes, optional for everyone; required for
# office and admin accounts in the production profile.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("HEADWATER_MFA_ISSUER", "Headwater")
HEADWATER_REQUIRE_MFA = env_bool("HEADWATER_REQUIRE_MFA", PRODUCTION)
USERSESSIONS_TRACK_ACTIVITY = False
# DingTalk sign-in (ADR 0012, core/social.py): shown and reachable only when the DingTalk app's
# client id and secret are set. The provider's account is matched to a person by the mobile
# number on the roster (or by an earlier link), never by name; nobody signs up through it.
SOCIALACCOUNT_ADAPTER = "headwater.core.social.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in starts with a POST (CSRF), not a link
SOCIALACCOUNT_PROVIDERS = {}
DINGTALK_AUTHORIZE_ORIGIN = "https://login.dingtalk.com"
HEADWATER_DINGTALK_CLIENT_ID = env_str("HEADWATER_DINGTALK_CLIENT_ID", "")
HEADWATER_DINGTALK_CLIENT_SECRET = env_str("HEADWATER_DINGTALK_CLIENT_SECRET", "")
if HEADWATER_DINGTALK_CLIENT_ID and HEADWATER_DINGTALK_CLIENT_SECRET:
    SOCIALACCOUNT_PROVIDERS["dingtalk"] = {
        "APPS": [
            {
                "client_id": HEADWATER_DINGTALK_CLIENT_ID,
                "secret": HEADWATER_DINGTALK_CLIENT_SECRET,
            }
        ],
        "SCOPE": ["openid", "corpid"],
    }

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
                "headwater.core.context_processors.headwater",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'headwater.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # No JIT: its compilation (seconds under load) dwarfs the few milliseconds our short
    # queries run; a large plan cost (contact tracing over millions of passages) triggered
    # it on every request (ADR 0025, performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Content-Security-Policy on every response (django-csp; ADR 0009): scripts, styles and
# everything else only from this server, no inline script or style, no framing. Pages pass
# data to their scripts through json_script blocks and data- attributes. `data:` images are
# Bootstrap's own icons (select arrows, check marks, the menu toggler) drawn from its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# DingTalk sign-in: the sign-in page's form posts to us and we redirect the browser to
# DingTalk's authorize page; browsers hold that redirect to form-action too.
if "dingtalk" in SOCIALACCOUNT_PROVIDERS:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(DINGTALK_AUTHORIZE_ORIGIN)
# Where browsers report a refused script or style (optional; docs/deploy.md).
if env_str("CSP_REPORT_URI", ""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = env_str("CSP_REPORT_URI")

REDIS_URL = env_str("REDIS_URL", "")

# Cache (counts of closed days …): per process in memory, shared in Redis when REDIS_URL is set.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

# Task queue: an SQLite file needs no server; Redis when REDIS_URL is set.
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "headwater",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "headwater",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["utc"] = False  # crontab times are Asia/Shanghai (Django sets the process TZ)
HUEY["consumer"] = {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"}

AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_MASK_CALLABLE = "headwater.core.privacy.mask_value"

# Outgoing mail (the daily briefing to its recipients): SMTP from the environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "headwater@localhost")

HEADWATER_DEMO_PASSWORD = env_str("HEADWATER_DEMO_PASSWORD", "headwater-demo")
HEADWATER_SITE_TITLE = _("Headwater")
HEADWATER_BASE_URL = env_str("HEADWATER_BASE_URL", "http://127.0.0.1:8000")  # robots link here
# Where group robots may post (SSRF guard, alerts/channels.py): the DingTalk and WeCom robot
# hosts; an intranet deployment adds its gateway, and admits private addresses for it.
HEADWATER_ROBOT_HOSTS = env_list(
    "HEADWATER_ROBOT_HOSTS", ["oapi.dingtalk.com", "qyapi.weixin.qq.com"]
)
# How long a process keeps the level, settings and rule set the check-in reads (core.memo);
# another worker sees an office's change within this many seconds. 0 turns the memory off.
HEADWATER_MEMO_SECONDS = max(0, env_int("HEADWATER_MEMO_SECONDS", 5))
HEADWATER_ROBOT_ALLOW_PRIVATE = env_bool("HEADWATER_ROBOT_ALLOW_PRIVATE", False)
HEADWATER_ROBOT_ALLOW_LOOPBACK = False  # only the tests' local robot double; never from env

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_traceback_below_500": {"()": "headwater.core.logging.NoTracebackBelow500"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A refused request (403, 400 …) is one line, not a traceback; a 500 keeps its traceback.
        "django.request": {"filters": ["no_traceback_below_500"]},
        "django.security": {"filters": ["no_traceback_below_500"]},
        # WeasyPrint reports each step of every PDF at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
