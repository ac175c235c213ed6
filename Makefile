# The two set-up commands of the README are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint format gates clean backup

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

## make run — the zero-setup demo: SQLite, demo content, http://127.0.0.1:8000
run:
	scripts/bootstrap run
	$(MAKE) --no-print-directory venv
	$(PY) manage.py migrate --noinput -v 0
	WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py load_demo_data
	@echo "Portail : http://$(HOST):$(PORT)/  — administration : http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test — installs what is missing, then the whole suite against its own PostgreSQL and OpenSearch
test:
	scripts/run-tests

## make backup — PostgreSQL dump + media in backups/crpv-<date>/ (BACKUP_DIR to change; docs/backup.md)
BACKUP_DIR ?= backups
backup:
	scripts/backup --output $(BACKUP_DIR)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

gates: venv
	scripts/quality-gates

clean:
	scripts/opensearch stop || true
	scripts/postgres stop || true
	rm -rf $(VENV) db.sqlite3 staticfiles

## make messages — refresh and compile the French catalogue
messages: venv
	$(PY) manage.py makemessages -l fr --no-location --no-obsolete --ignore='.venv/*' --ignore='.cache/*' --ignore='bench/*' --ignore='tests/*'
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po
