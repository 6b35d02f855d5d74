"""Test settings: a fast hasher, in-memory mail, eager tasks unless a test opts into the worker."""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tasks run in process even when REDIS_URL is set; a test that needs the real worker opts in.
CELERY_TASK_ALWAYS_EAGER = True

# The test runner flushes tables between transactional tests; only here may it purge the audit log.
ZHIXING_AUDIT_PURGE_ALLOWED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c zhixing.audit_purge=on"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
