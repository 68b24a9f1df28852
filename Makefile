# The two commands: `make run` serves the app with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test messages migrate seed chromium node gettext lint clean \
	bench-reports bench bench-cpu

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# compilemessages needs GNU gettext's msgfmt; install it when it is missing and apt-get works.
gettext:
	@command -v msgfmt >/dev/null || ($(SUDO) apt-get install -y -q gettext >/dev/null) \
		|| echo "msgfmt is missing: install GNU gettext for the Dutch translation"

messages: gettext
	$(MANAGE) compilemessages --ignore=.venv -v0

migrate:
	$(MANAGE) migrate --noinput -v0

seed:
	$(MANAGE) seed_demo
	$(MANAGE) seed_demo_calendar
	$(MANAGE) seed_demo_casework

# Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
chromium:
	@command -v chromium >/dev/null || ( $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium ) \
		|| echo "Could not install chromium: browser tests will fail"

# The live screen's script (static/casework/live.js) is also tested on its own, in Node.
node:
	@command -v node >/dev/null || ( $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q nodejs ) \
		|| echo "Could not install nodejs: the live.js tests will fail"

run: install messages migrate seed
	@echo "Starting a Celery worker with beat (embedded transport) and the web server..."
	@mkdir -p var
	@$(BIN)/celery -A plg_platform worker --beat --pool=solo --loglevel=INFO \
		--schedule=var/celerybeat-schedule > var/celery.log 2>&1 & \
		worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		echo "Celery worker pid $$worker, log in var/celery.log"; \
		echo "Open http://127.0.0.1:8000 and sign in with one of the demo logins above."; \
		$(MANAGE) runserver 127.0.0.1:8000

test: install-test messages chromium node
	$(BIN)/python -m pytest

# Times the yearly reports and a reminder run over a built school of 40 PLGs x 15 members, in a
# throwaway database (var/bench-reports.sqlite3, or DATABASE_URL's server with a _bench name).
bench-reports: install-test
	$(BIN)/python -m tests.bench.reports

# Load benchmark (issue 7): a school of 50 PLGs x 14 members in a throwaway PostgreSQL database
# (plg_bench_load), served by gunicorn with Redis, each main page driven by 20 locust users next
# to a trivial view; see docs/performance.md. Needs PostgreSQL and Redis running on this machine.
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $(VENV)/.installed $(VENV)/.installed-test $@

bench: $(VENV)/.installed-bench
	$(BIN)/python -m tests.bench.load

# In-process CPU per main page (no server, no load generator): steadier than `make bench` for
# comparing a change; see docs/performance.md. Needs PostgreSQL running on this machine.
bench-cpu: install-test
	$(BIN)/python -m tests.bench.cpu

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf var db.sqlite3
