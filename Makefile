# Two commands for a new user: `make demo` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test test-slow lint typecheck pytest demo bench fuzz translations clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -q -m "not slow"

test: lint typecheck pytest

# What make test leaves out: the crash, fault and quality suites (minutes, not seconds).
test-slow: install
	$(BIN)/pytest -q -m slow

demo: install
	$(BIN)/newsbot demo

bench: install
	$(BIN)/newsbot bench all

fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -m "slow or not slow" tests

# After changing the bot's texts: extract them, merge into every catalogue, compile the .mo files.
# Translate what is new (msgstr "" or #, fuzzy) in bot/locales/*/LC_MESSAGES/newsbot.po, then run
# it again; see docs/i18n.md.
translations: install
	mkdir -p build
	$(BIN)/pybabel extract --add-location=file --sort-by-file -c Translators: -k N_ \
		--project=newsbot -o build/newsbot.pot bot
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i build/newsbot.pot \
		-d bot/locales -D newsbot
	$(BIN)/pybabel compile -d bot/locales -D newsbot --statistics

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
