# Two commands do everything: `make book` (build the site) and `make test` (run the tests, which
# build the book too). Both create .venv and install the pinned requirements when needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going
MATHJAX_VERSION := 3.2.2
MATHJAX := _static/mathjax/tex-svg.js
MATHJAX_SHA256 := d4295dc33744836935c1399feece5159577b34c5c8ffb9f1c6324cd82e03a882
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

.PHONY: book test clean clean-cache data-check setup system requirements

book: setup
	$(BIN)/python -m lib.data
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Book: _build/html/index.html  Results ledger: _build/results/results.csv"

test: setup
	$(BIN)/python -m pytest

setup: $(STAMP) system $(MATHJAX)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Debian packages the build needs: the Chinese font for figure labels.
system:
	@if [ -f $(CJK_FONT) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing fonts-noto-cjk (Chinese labels in figures)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk; \
	else \
	  echo "NOTE: not root, so fonts-noto-cjk cannot be installed here; figures with Chinese labels will fail." >&2; \
	  echo "      Ask an administrator: apt-get install fonts-noto-cjk" >&2; \
	fi

# MathJax served from the site itself (no CDN at read time), fetched once from the npm registry.
$(MATHJAX):
	@mkdir -p $(dir $@)
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null \
	  && tar -xzf mathjax-$(MATHJAX_VERSION).tgz package/es5/tex-svg.js \
	  && echo "$(MATHJAX_SHA256)  package/es5/tex-svg.js" | sha256sum -c --quiet \
	  && cp package/es5/tex-svg.js $(CURDIR)/$@ && rm -rf $$tmp

data-check: $(STAMP)
	$(BIN)/python -m lib.data

# Re-pin after changing a top-level package: install it into .venv, then run this.
requirements:
	{ head -2 requirements.txt; $(BIN)/pip freeze --exclude-editable | grep -vi '^iie-book-lib'; echo "-e ."; } > requirements.new \
	  && mv requirements.new requirements.txt

clean-cache:
	rm -rf _build/.jupyter_cache _build/.book_state

clean:
	rm -rf _build
