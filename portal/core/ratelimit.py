"""Per-IP rate limits on the expensive anonymous endpoints (search, suggest, exports, sheet PDFs)
and on the public forms that store or mail something (registration, newsletters and alerts).

A fixed-window counter per client in Django's cache: `cache.add` opens the window, `cache.incr`
counts in it. Limits are `settings.RATELIMITS[scope]` ("60/m"), read at each request; only
`RATELIMIT_ENABLED=false` turns them off. Over the limit: 429, a French message and Retry-After.
"""

import functools
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """The rate "60/m" as (60, 60 seconds)."""
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip()[:1]]


def client_ip(request):
    """REMOTE_ADDR, or the address our N trusted proxies appended to X-Forwarded-For."""
    proxies = settings.RATELIMIT_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def seconds_left(scope, request):
    """0 when this request is within its scope's limit, else the seconds until the client's window ends.

    Each client's window opens with its first request (not on the clock's minute), so a burst
    straddling a minute boundary cannot get twice the allowance.
    """
    if not settings.RATELIMIT_ENABLED:
        return 0
    limit, period = parse_rate(settings.RATELIMITS[scope])
    key, now = f"ratelimit:{scope}:{client_ip(request)}", time.time()
    count = None
    if not cache.add(key, 1, timeout=period):
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, timeout=period)
    if count is None:
        cache.set(f"{key}:start", now, timeout=period)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil(cache.get(f"{key}:start", now) + period - now))


def rate_limited(scope, *, json=False):
    """Decorate a view (function or page method): 429 once the client IP is over the scope's limit."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            request = next(arg for arg in args if isinstance(arg, HttpRequest))
            retry_after = seconds_left(scope, request)
            if not retry_after:
                return view(*args, **kwargs)
            message = _("Trop de requêtes depuis votre adresse : réessayez dans %(seconds)s secondes.") % {
                "seconds": retry_after
            }
            if json:
                response = JsonResponse({"detail": message, "errors": [message]}, status=429)
            else:
                response = render(request, "429.html", {"message": message}, status=429)
            response["Retry-After"] = str(retry_after)
            return response

        return wrapped

    return decorator
