# Production image: gunicorn serves the portal, whitenoise its static files.
# The same image runs the task worker (`python manage.py db_worker`).
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORT=8000

# Pango for WeasyPrint (PDF of sheets), gettext for translations, libpq for psycopg,
# postgresql-client (15, as the compose db) for `manage.py backup` / `restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 gettext libpq5 postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=portal:portal . .

# collectstatic needs a secret and hosts at build time only; real ones come at run time.
RUN SECRET_KEY=build ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /app/media && chown portal:portal /app/media

USER portal
EXPOSE 8000
CMD ["sh", "-c", "gunicorn portal.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
