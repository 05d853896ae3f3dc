# The two commands of INTERFACES.md §1, and a few more. Only python3 and make are assumed.
PY := .venv/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test bench lint format migrations-check demo-logins

install: .venv/.installed local.env node_modules/.installed

# axe-core and the Nu HTML Checker for the accessibility browser tests (tests/a11y/),
# pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -e '.[dev]'
	touch $@

# Local development defaults (git-ignored); a variable set in the environment wins.
local.env:
	printf '%s\n' '# Written by make install for local development; never deployed.' 'DJANGO_DEBUG=1' > $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "parindex: http://$(HOST)/  (quản trị: http://$(HOST)/quan-tri/)"
	$(PY) manage.py runserver $(HOST)

demo-logins: install
	@$(PY) manage.py load_demo --logins-only

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Every benchmark (about 15 min on 2 cores); writes docs/BENCHMARKS.md. BENCH_ARGS="--only pages".
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run
