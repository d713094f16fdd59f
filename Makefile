# The two quick-start commands are `make run` and `make test`; both need only Python 3.11+.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Production-like values for the deployment check only; never used to serve.
DEPLOY_ENV := DJANGO_DEBUG=false SECRET_KEY=check-deploy-$(shell printf '%064d' 0) \
	ALLOWED_HOSTS=hackqc.example SITE_URL=https://hackqc.example

.PHONY: install run test lint check worker beat messages bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# The browser tests need axe-core from npm: installed when npm is there, else they are skipped
# (and say so).
test: lint check
	@if command -v npm >/dev/null 2>&1 && [ ! -d tests/browser/node_modules/axe-core ]; then \
		npm ci --prefix tests/browser --no-audit --no-fund --silent || true; fi
	$(BIN)/pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A hackqc worker -Q celery,results --loglevel=INFO

beat: install
	$(BIN)/celery -A hackqc beat --loglevel=INFO

# Needs GNU gettext (xgettext); the compiled .mo files are committed so nothing else does.
messages: install
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --ignore=.venv --ignore=bench \
		--ignore=tests --ignore=staticfiles
	$(PY) manage.py compile_translations

# The measuring scripts of bench/ (readme, serving, trivial_wsgi, prized_edition: their
# helpers). Each writes what it printed into its README section (--readme), so the README's
# figures are the benches' output (tests/site/test_readme_figures.py checks this list
# against bench/ and the README). They need DATABASE_URL (PostgreSQL) and REDIS_URL, as on CI;
# about 25 minutes in all.
README_BENCHES := bench_assignment bench_ranking catalogue_sync images jury_bench \
	open_data_scale pairwise_bench pairwise_sim results_compute submissions_gallery teams_board \
	page_speed hackathon_day
# The sizes the README quotes, where they are not a bench's default.
ARGS_bench_assignment := --judges 200 --submissions 2000
ARGS_hackathon_day := --users 200 --duration 60

bench: install
	$(foreach script,$(README_BENCHES),$(PY) bench/$(script).py $(ARGS_$(script)) --readme &&) true

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
