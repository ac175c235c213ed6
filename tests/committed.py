"""Writing committed rows from an ordinary (rolled-back) test, for code that runs in another process.

A transactional test (`django_db(transaction=True)`) would do, but pytest-django empties the whole
test database after it, and the transactional tests after it would lose the session's demo
content. Instead, `committed(function)` runs `function` in a thread: Django gives the thread a
connection of its own, in autocommit, so what it writes is committed and visible to a subprocess,
and to the test's own connection (PostgreSQL's READ COMMITTED). The test deletes it the same way.
"""

import threading

from django.db import connection


def committed(function, *args):
    """Run `function(*args)` in a thread, on a connection of its own (autocommit); return its result."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 — raised again in the caller
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
