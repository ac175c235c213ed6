"""The per-message UPDATE of the sending engine, sent to PostgreSQL without waiting for its answer.

One statement marks the previous message `sent` (with its Message-ID) and the next one `sending`.
On PostgreSQL it is sent through libpq's asynchronous interface, so that the database works
while the worker talks SMTP (MAIL FROM, RCPT TO); the worker waits for the commit only before
DATA, the moment the server could accept the message. The rule that keeps « at most one
uncertain message per worker » is unchanged: a row is `sending`, committed, before its message
can be accepted, and the previous one is `sent`, committed, before the next can be.
"""

from django.db import connection
from psycopg import errors, generators, pq, waiting

from .delivery import Delivery

TABLE = Delivery._meta.db_table
PG_SQL = f"""
    UPDATE {TABLE} SET
        state = CASE WHEN id = $1::bigint THEN 'sent' ELSE 'sending' END,
        sent_at = CASE WHEN id = $1::bigint THEN $2::timestamptz ELSE sent_at END,
        message_id = CASE WHEN id = $1::bigint THEN $3::text ELSE message_id END,
        attempts = CASE WHEN id = $1::bigint THEN attempts + 1 ELSE attempts END
    WHERE id IN ($1::bigint, $4::bigint)
""".encode()  # noqa: S608 — a table name from the model, values as parameters
DB_API_SQL = f"""
    UPDATE {TABLE} SET
        state = CASE WHEN id = %s THEN 'sent' ELSE 'sending' END,
        sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,
        message_id = CASE WHEN id = %s THEN %s ELSE message_id END,
        attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END
    WHERE id IN (%s, %s)
"""  # noqa: S608


class Marks:
    """`start(pk, accepted)` sends the UPDATE; `wait()` returns once it is committed (idempotent)."""

    def __init__(self):
        self.pgconn = None
        self.in_flight = False

    def start(self, pk, accepted):
        done, message_id, sent_at = accepted or (0, "", None)
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            with connection.cursor() as cursor:  # SQLite, or inside a test's transaction: plain and synchronous
                cursor.execute(DB_API_SQL, [done, done, sent_at, done, message_id, done, done, pk])
            return
        connection.ensure_connection()
        self.pgconn = connection.connection.pgconn
        params = [str(done).encode(), sent_at.isoformat().encode() if sent_at else None, message_id.encode()]
        self.pgconn.send_query_params(PG_SQL, [*params, str(pk).encode()])
        self.in_flight = True
        waiting.wait(generators.send(self.pgconn), self.pgconn.socket)

    def wait(self):
        if not self.in_flight:
            return
        self.in_flight = False
        results = waiting.wait(generators.fetch_many(self.pgconn), self.pgconn.socket)
        for result in results:
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise errors.error_from_result(result, encoding="utf-8")
