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

FONT_PACKAGES := fonts-noto-cjk
PDF_PACKAGES := texlive-xetex texlive-fonts-recommended texlive-lang-chinese latexmk xindy fonts-freefont-otf poppler-utils
BROWSER_PACKAGES := chromium

.PHONY: book test pdf bench clean clean-cache data-check setup system system-pdf system-test requirements translations venv-usable

# The external inputs and the authored data are checked first thing in the build (lib/book/cache_state.py: it stops
# before any page runs, as `make data-check` does). The Chinese edition starts with it, checks its catalogues
# (python -m lib.book.po_check) while the notebooks run, and reads and writes its pages alongside the English ones
# once every notebook has run (lib/book/zh_alongside.py); html-zh-finish publishes it when both succeeded.
book: setup
	@$(BIN)/python scripts/warm_imports.py >/dev/null 2>&1 &   # the kernels' bytecode, on the idle core
	BOOK_ZH_ALONGSIDE=1 $(BIN)/jupyter-book build . $(JB_FLAGS)
	$(BIN)/python -m lib.book.edition html-zh-finish
	@echo "Book: _build/html/index.html (中文版: _build/html/zh/index.html)  Results ledger: _build/results/results.csv"

test: setup system-test
	$(BIN)/python -m pytest

pdf: setup system-pdf
	$(BIN)/python -m lib.book.edition pdf   # English, then both xelatex runs side by side (lib/book/edition.py)
	@echo "PDF: _build/latex/book.pdf (also linked from the site as _build/html/book.pdf); Chinese: _build/latex-zh/book-zh.pdf (_build/html/zh/book.pdf)"

# The Chinese edition's catalogues: extract the English messages and merge them into locales/zh_CN (after `make book`).
translations: setup
	$(BIN)/python -m lib.book.translations update

bench: setup system-test
	$(BIN)/python scripts/bench.py

setup: venv-usable $(STAMP) system $(MATHJAX)

# A .venv this user cannot use (made by another user, e.g. root with a Python under /root): say so, not just
# "Permission denied".
venv-usable:
	@if [ -e $(BIN)/python ] && ! $(BIN)/python -c '' 2>/dev/null; then \
	  echo "ERROR: $(CURDIR)/$(VENV) belongs to user '$$(stat -c %U $(VENV))' and cannot be used by '$$(id -un)'" \
	       "(its Python is not executable for you). Run make as '$$(stat -c %U $(VENV))', or have that user" \
	       "remove it (rm -rf $(VENV)) so that make creates your own." >&2; exit 1; fi
	@if [ -d $(VENV) ] && [ ! -w $(VENV) ] && [ requirements.txt -nt $(STAMP) ]; then \
	  echo "ERROR: $(CURDIR)/$(VENV) belongs to user '$$(stat -c %U $(VENV))' and must be updated (requirements.txt" \
	       "changed), but '$$(id -un)' cannot write to it. Run make as '$$(stat -c %U $(VENV))', or remove $(VENV)." >&2; exit 1; fi

# Bytecode: a build's processes (the data check, Sphinx, the pool's workers, a kernel per notebook, the Chinese
# build) import the same 2,400 modules of .venv and lib. Python writes each module's bytecode the first time it
# is imported and every later process reads it; with PYTHONDONTWRITEBYTECODE set (as in some shells and CI images)
# every one of those processes compiles them from source again, about 4 s of CPU each, some 50 s in a fresh build.
# So make's commands write bytecode (into .venv and lib/__pycache__ only: nothing else of the repository is
# imported). Compiling all of .venv at install instead (uv --compile-bytecode) would compile 4 times as many
# files, most of which a build never imports.
unexport PYTHONDONTWRITEBYTECODE

# The pins need Python 3.11 (3.11.2, Debian 12's python3.11, or later); an older or newer minor version stops here.
# Installed with uv when it is on the PATH or can be installed from PyPI (the pin in requirements.txt): several
# times faster than pip; pip installs when uv cannot. The virtualenv is made without pip (ensurepip unpacks it in
# about 3 s): the interpreter's own pip puts uv into it (pip --python), and pip is added only when it is needed.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "ERROR: PYTHON=$(PYTHON) is $$($(PYTHON) --version 2>&1 || echo 'not found'); the pinned requirements need" \
	       "Python 3.11 (Debian 12: apt-get install python3.11 python3.11-venv; then make book PYTHON=/usr/bin/python3.11)." >&2; \
	  exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	pin=$$(grep -i '^uv==' requirements.txt || echo uv); uv=$$(command -v uv || true); \
	if [ -z "$$uv" ]; then \
	  { $(PYTHON) -m pip --python $(BIN)/python install --quiet --disable-pip-version-check "$$pin" 2>/dev/null \
	    || { $(BIN)/python -m ensurepip --default-pip >/dev/null \
	         && $(BIN)/python -m pip install --quiet --disable-pip-version-check "$$pin"; }; } && uv=$(BIN)/uv; fi; \
	if [ -x "$$uv" ] && "$$uv" pip install --quiet --python $(BIN)/python -r requirements.txt; then :; \
	else $(BIN)/python -m ensurepip --default-pip >/dev/null \
	     && $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt; fi
	touch $@

# Debian packages. As root they are installed; otherwise a note says what is missing and what will not work.
define apt_install
	@missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	  && rm -rf _build/latex; \
	else \
	  echo "NOTE: missing Debian packages:$$missing. Not root, so not installed: $(2)." >&2; \
	  echo "      Ask an administrator: apt-get install --no-install-recommends$$missing" >&2; \
	fi
endef

system:
	$(call apt_install,$(FONT_PACKAGES),figures with Chinese labels will fail)

system-pdf: system
	$(call apt_install,$(PDF_PACKAGES),make pdf will fail and the PDF test will be skipped)

system-test: system-pdf
	$(call apt_install,$(BROWSER_PACKAGES),the browser test will be skipped)

# MathJax served from the site itself (no CDN at read time), fetched once from the npm registry.
$(MATHJAX):
	@mkdir -p $(dir $@)
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null \
	  && tar -xzf mathjax-$(MATHJAX_VERSION).tgz package/es5/tex-svg.js \
	  && echo "$(MATHJAX_SHA256)  package/es5/tex-svg.js" | sha256sum -c --quiet \
	  && cp package/es5/tex-svg.js $(CURDIR)/$@ && rm -rf $$tmp

# Authored files against their schemas (data/datapackage.yaml, data/schemas/), then the external inputs.
# `make book` checks the authored files too: the book's extension runs the same check before any page.
data-check: venv-usable $(STAMP)
	$(BIN)/python -m lib.inputs.schemas
	$(BIN)/python -m lib.inputs.data

# Re-pin after changing a top-level package: install it into .venv, then run this.
requirements:
	$(BIN)/python -m ensurepip --default-pip >/dev/null
	{ head -2 requirements.txt; $(BIN)/pip freeze --exclude-editable | grep -vi '^iie-book-lib'; echo "-e ."; } > requirements.new \
	  && mv requirements.new requirements.txt

clean-cache:
	rm -rf _build/.jupyter_cache _build/.book_state

clean:
	rm -rf _build
