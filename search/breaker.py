"""A circuit breaker in front of the engine's queries.

After `SEARCH_BREAKER_FAILURES` failed queries in a row the breaker opens: for
`SEARCH_BREAKER_SECONDS` the queries skip the engine and the database answers, so a hung or
broken node costs a few slow requests, not every one. Then one query tries the engine again:
success closes the breaker, failure opens it for another period.

The state is per process (a few attributes behind a lock), not shared through the cache: each
web worker learns of an outage on its own, at the price of a few timeouts each — simple, and
nothing to reach when the trouble may be the network itself.
"""

import threading
import time

from django.conf import settings


class CircuitBreaker:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        self.failures = 0
        self.open_until = 0.0
        self.tripped = False  # opened at least once since the last success: one failure reopens it

    def allows(self):
        """Whether a query may go to the engine now."""
        return time.monotonic() >= self.open_until

    def succeeded(self):
        with self._lock:
            self.failures, self.tripped = 0, False

    def failed(self):
        with self._lock:
            self.failures += 1
            if self.tripped or self.failures >= settings.SEARCH_BREAKER_FAILURES:
                self.open_until = time.monotonic() + settings.SEARCH_BREAKER_SECONDS
                self.failures, self.tripped = 0, True


breaker = CircuitBreaker()
