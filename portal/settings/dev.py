"""Development and zero-setup demo: SQLite by default, debug on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)

# Serve static files straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
