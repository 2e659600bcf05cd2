# AnciLab portal: `make run` sets everything up and serves the site; `make test` runs the test suite.
# Every target is safe to re-run; stamps under .venv/ and node_modules/ skip work that is already done.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: run test lint format install lock messages compilemessages migrate demo bench resilience lighthouse e2e clean help

help:
	@echo "make run        set up (venv, pip, npm, migrate, translations, demo content) and serve on 127.0.0.1:$(PORT)"
	@echo "make test       run the test suite (SQLite; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint       ruff check + ruff format --check"
	@echo "make messages   extract translatable strings into locale/*/LC_MESSAGES/django.po"
	@echo "make lock       resolve requirements.txt into the hash-pinned requirements.lock (after editing it)"
	@echo "make bench      benchmarks on the production topology (see bench/README.md)"
	@echo "make resilience failure scenarios on the production topology (see bench/README.md)"
	@echo "make lighthouse Lighthouse scores of five page types, mobile and desktop (bench/lighthouse/latest.md)"

# The runtime packages come from requirements.lock (hash-pinned, what the Docker image installs), so what the tests
# run on is what ships; the test tools come after.
$(VENV)/.installed: requirements.lock requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# After editing requirements.txt: resolve it again into requirements.lock, with every package's hashes. pip-tools lives
# in its own venv under var/; the machine's pip configuration (extra indexes, local wheels) is left out of the lock.
lock:
	test -x var/piptools/bin/pip-compile || ($(PYTHON) -m venv var/piptools && var/piptools/bin/pip install --quiet pip-tools==7.6.2)
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= var/piptools/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --output-file requirements.lock requirements.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.env:
	@echo "# Local development settings (not committed). Production takes its variables from the environment." > .env
	@echo "DEBUG=1" >> .env

install: $(VENV)/.installed node_modules/.installed .env

compilemessages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# English only: the msgids are Italian; locale/it holds hand-made overrides of Django's own date names.
messages: install
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	$(MANAGE) makemessages -d djangojs -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo
	$(MANAGE) demo_upcoming

# Links in emails, PDFs and calendar files point at the server make run starts (unless SITE_URL is set).
run demo: export SITE_URL ?= http://127.0.0.1:$(PORT)
# The periodic jobs run under make run too (outbox sweep, expiry of unconfirmed holds, reminders, purges), on the
# production schedule: Celery beat starts beside the server. In the embedded default tasks run in-process (eager), so
# beat runs each job itself; with REDIS_URL set, a worker with an embedded beat runs them from the broker.
SCHEDULER = $(if $(REDIS_URL),worker --beat --pool solo --loglevel=warning,beat --loglevel=warning)
run: install compilemessages migrate demo
	@mkdir -p var
	READ_DOTENV=1 $(PY) -m celery -A ancilab_portal $(SCHEDULER) --schedule var/celerybeat-schedule & SCHEDULER_PID=$$!; \
	  trap 'kill $$SCHEDULER_PID 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install compilemessages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install compilemessages
	$(PY) bench/run.py

resilience: install compilemessages
	$(PY) bench/resilience.py

# Debian's Chromium, headless; LIGHTHOUSE_ARGS="--runs 3" keeps the median of three runs per page.
lighthouse: install compilemessages
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) bench/lighthouse/run.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache
