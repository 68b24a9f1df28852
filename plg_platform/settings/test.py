"""The test suite: embedded defaults unless DATABASE_URL / REDIS_URL are given."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, DATABASES, env

SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A real worker process (tests/worker) cannot read this process's memory: it writes files.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "test-mail"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_URL = "http://testserver"

# A file (not memory) so that a real Celery worker process can share the test database.
# TEST_DB_NAME lets two test runs on one checkout keep out of each other's way.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _test_db = env("TEST_DB_NAME", default=str(BASE_DIR / "var" / "test-db.sqlite3"))
    DATABASES["default"]["TEST"] = {"NAME": _test_db}

# Pages are built afresh for every request: query budgets measure building a page, and many
# tests change rows directly between two openings, as only a shell would in production.
# tests/communities/test_page_cache.py switches kept pages on.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)

# Tasks run in-process unless a test starts a real worker (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_BROKER_URL == "filesystem://":
    # Apart from `make run`'s queue, so a running development worker never takes test tasks.
    _queue = BASE_DIR / "var" / "test-celery" / "queue"
    _queue.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "store_processed": False,
        "control_folder": str(_queue.parent / "control"),
    }
    _results = BASE_DIR / "var" / "test-celery-results"
    _results.mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=f"file://{_results}")
LOGGING = {"version": 1, "disable_existing_loggers": False}

# WhiteNoise warns (an error here) when STATIC_ROOT does not exist yet.
STATIC_ROOT = str(BASE_DIR / "var" / "test-static")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
