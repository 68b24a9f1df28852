"""Development: `make run` on a laptop, with embedded defaults."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")

# WhiteNoise warns when STATIC_ROOT does not exist yet; in development it may stay empty.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# A changed template shows at once: pages are built afresh unless PAGE_CACHE_SECONDS says
# otherwise (production keeps them; communities/page_cache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 60)
