# The two set-up commands: `make run` and `make test`. Both start with `make install`.
# DATABASE_URL=postgres://user:pass@host:port/db switches both to PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_HOUSEHOLDS ?= 20000

.PHONY: install run test lint browser pdf messages clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: install pdf
	$(BIN)/aidbridge migrate --no-input -v 0
	$(BIN)/aidbridge demo --if-empty --households $(DEMO_HOUSEHOLDS)
	$(BIN)/aidbridge serve --host $(HOST) --port $(PORT)

# Browser tests need Debian's chromium; install it when we may (root with apt), else they skip.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get install -y -q chromium fonts-wqy-microhei >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-wqy-microhei >/dev/null)) ; } || \
	  echo "chromium is not installed and cannot be installed here: browser tests will be skipped"

# Receipts' PDFs (WeasyPrint) need Debian's pango and a CJK font; install them when we may.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei
pdf:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ; } || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get install -y -q $(PDF_PACKAGES) >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && apt-get install -y -q $(PDF_PACKAGES) >/dev/null)) ; } || \
	  echo "pango or the CJK font is missing and cannot be installed here: receipts' PDFs will fail"

test: install browser pdf
	$(BIN)/ruff check aidbridge tests bench scripts
	$(BIN)/ruff format --check aidbridge tests bench scripts
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check --fix aidbridge tests bench scripts
	$(BIN)/ruff format aidbridge tests bench scripts

# Refresh the translation catalogues after changing strings (needs GNU gettext).
messages: install
	cd aidbridge && ../$(BIN)/aidbridge makemessages -l zh_Hans --no-obsolete && \
	  ../$(BIN)/aidbridge compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) var .pytest_cache
