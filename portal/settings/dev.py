"""Development and zero-setup demo (`make run`): SQLite by default.

The demo serves as visitors see it: DEBUG is off (French 404/500 pages), static files come from
WhiteNoise and uploaded media from Django. `DEBUG=1 make run` switches the debug pages back on.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
INTERNAL_IPS = ["127.0.0.1"]
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)

# Serve static files straight from the finders, DEBUG or not: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded images and documents are served by Django itself (portal/urls.py); never in production.
SERVE_MEDIA = True
