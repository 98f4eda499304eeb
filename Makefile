# The README's two commands come first: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev
# The public address of every link (e-mails, sitemap, iCal) and of the demo's Wagtail Site.
export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)

.DEFAULT_GOAL := help
.PHONY: help run test install install-browser lock lint format check migrate demo serve worker scheduler bench messages clean backup restore audit

help: ## Show this list of targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

run: install migrate demo serve ## Install, migrate, load demo content and serve on http://127.0.0.1:$(PORT)

test: install install-browser ## Run lint, the import contracts, Django checks and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)
	@# The browser tests share one demo site for their whole session, so they run on their own.
	@# Lighthouse (slow: about a minute a page) runs in .ci/run.
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest tests/browser -m "not lighthouse" $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip uv

# Exits non-zero unless every package of package.json is in node_modules at its pinned version, so
# a package added to package.json is installed on the next `make install`, also on a clean checkout.
NPM_PINNED_CHECK := const wanted = require('./package.json').devDependencies; \
	for (const [name, version] of Object.entries(wanted)) { let found; \
	try { found = require('./node_modules/' + name + '/package.json').version; } catch (error) {} \
	if (found !== version) process.exit(1); }

install: $(BIN)/python ## Install the locked Python dependencies into .venv and the npm test tools (axe-core, vnu-jar, Lighthouse)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@if command -v npm >/dev/null; then node -e "$(NPM_PINNED_CHECK)" || npm install --silent; \
	else echo "npm not found: the browser tests need it (apt-get install npm)"; fi

install-browser: ## Install Debian's Chromium and Java (for the HTML checker) when they are missing
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

lock: $(BIN)/python ## Re-resolve the pinned versions (requirements/lock.txt, and runtime.txt for the image)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/lock.txt
	@# The production image installs only these: the same versions, without the test tools.
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -c requirements/lock.txt \
		-o requirements/runtime.txt

migrate: ## Apply database migrations (SQLite in the checkout unless DATABASE_URL is set)
	$(MANAGE) migrate --noinput

demo: ## Load or refresh the demo content (idempotent) and print the demo accounts
	$(MANAGE) load_demo

# One process group: the web server, the task worker (every queue) and the scheduler. Ctrl-C (or
# any of them ending) stops all three.
serve: ## Serve the site on http://127.0.0.1:$(PORT) with the task worker and the scheduler
	@trap 'trap - INT TERM EXIT; kill 0 2>/dev/null' INT TERM EXIT; \
	$(MANAGE) db_worker --queue-name='*' --interval=1 & \
	$(MANAGE) run_scheduler & \
	$(MANAGE) runserver 127.0.0.1:$(PORT) & \
	wait -n

worker: ## Run the background task worker alone (all queues)
	$(MANAGE) db_worker --queue-name='*'

scheduler: ## Run the scheduler of periodic tasks alone
	$(MANAGE) run_scheduler

lint: ## Check code style with ruff
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: ## Format and fix imports with ruff
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# makemessages from the project root: an app's code into <app>/locale (nested apps too), the shared
# templates/ and cms/ into locale/ (LOCALE_PATHS). Folders without our strings are skipped.
MESSAGES_IGNORE := -i .venv -i node_modules -i tests -i staticfiles -i media -i backups -i docs -i deploy \
	-i requirements -i "*/migrations"
messages: ## Extract the strings of every app and template into the .po files, then compile them
	$(MANAGE) makemessages -l en --no-obsolete $(MESSAGES_IGNORE)
	$(MANAGE) compilemessages $(MESSAGES_IGNORE)

bench: install ## Run the benchmarks named in the issues and print their figures
	@# The benchmarks run on the production settings (tests/bench/run.py), not on these.
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

BACKUP_FILE ?= backups/site-$(shell date +%Y%m%d-%H%M%S).tar.gz
backup: ## Back up the database and media into one archive (BACKUP_FILE=path.tar.gz, KEEP=N newest)
	@mkdir -p $(dir $(BACKUP_FILE))
	$(MANAGE) backup_site $(BACKUP_FILE) $(if $(KEEP),--keep $(KEEP))

restore: ## Restore a backup: make restore FILE=backups/site-....tar.gz (add FORCE=1 to overwrite)
	@[ -n "$(FILE)" ] || { echo "Usage: make restore FILE=path/to/backup.tar.gz [FORCE=1]"; exit 2; }
	$(MANAGE) restore_site $(FILE) $(if $(FORCE),--force)

audit: ## Check the locked dependencies for known vulnerabilities (pip-audit)
	$(BIN)/python -m cms.dependency_audit

clean: ## Remove the virtualenv, node_modules and the local SQLite database
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm
