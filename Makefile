# The README's commands. Everything a fresh machine lacks is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# axe-core (pinned in package-lock.json), injected into pages by tests/e2e.
NODE_STAMP := node_modules/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: setup run test lint bench bench-national drill migrate demo messages clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Two processes: this kind of machine has two cores. loadgroup keeps the
# end-to-end journeys (one shared demo server) in one process.
PYTEST_ARGS ?= -n 2 --dist loadgroup

test: setup $(NODE_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m bench

# Opt-in: the completion report over a national tree of 1,000,000 cadres
# (bench/bench_national.py). Needs DATABASE_URL on PostgreSQL; the world is
# written with SQL in a few minutes. BENCH_DATABASE_NAME names the database
# it builds (default test_<name>).
bench-national: setup
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "bench-national needs DATABASE_URL=postgres://…"; exit 2;; esac
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m bench national

# The fault drill (bench/bench_drill.py): needs DATABASE_URL on PostgreSQL and
# redis-server; starts its own Redis on 6390 and 6393 and gunicorn on 8115.
drill: setup
	DJANGO_SETTINGS_MODULE=config.settings.test DRILL_REQUIRED=1 $(PY) -m bench drill

messages: setup
	cd site && ../$(PY) ../manage.py makemessages -l vi --ignore '../.venv/*' || true
	$(PY) manage.py makemessages -l vi --ignore '.venv/*' --ignore 'static_collected/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-* media static_collected
