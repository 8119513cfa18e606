# make demo  -> set up everything and show the backprop table of a sample
# make test  -> set up everything and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint pictures golden bench clean graphviz chromium latex-check

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "cgraph needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	-$(BIN)/pip uninstall --quiet --yes cgraph 2>/dev/null  # the distribution's old name
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Graphviz's `dot` draws the pictures; install it when we can, say how when we cannot.
graphviz:
	@if command -v dot >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Graphviz (dot) with apt-get..."; \
	  apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; \
	else \
	  echo "Graphviz's 'dot' is not installed. Install it with one of:"; \
	  echo "  sudo apt-get install graphviz   |   brew install graphviz   |   conda install -c conda-forge graphviz"; \
	  exit 1; \
	fi

# Headless Chromium and its driver run the page's browser tests (tests/test_page_browser.py).
chromium:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium and ChromeDriver with apt-get..."; \
	  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
	  echo "The browser tests need Chromium and ChromeDriver. Install them with one of:"; \
	  echo "  sudo apt-get install chromium chromium-driver   |   brew install --cask chromium chromedriver"; \
	  exit 1; \
	fi

# pdflatex compiles `cgraph explain --format latex --standalone` of every sample with no overfull
# box. TeX is big, so this is not part of `make test`; as root it installs texlive-latex-base.
latex-check: $(STAMP)
	@command -v pdflatex >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && apt-get install -y -qq texlive-latex-base >/dev/null; } || \
	  { echo "pdflatex is missing: sudo apt-get install texlive-latex-base"; exit 1; }
	@tmp=$$(mktemp -d); for f in samples/*.cg; do n=$$(basename $$f .cg); \
	  $(BIN)/cgraph explain -f $$f --format latex --standalone > $$tmp/$$n.tex || exit 1; \
	  (cd $$tmp && pdflatex -interaction=nonstopmode -halt-on-error $$n.tex >/dev/null) || \
	    { echo "$$n: pdflatex failed (log in $$tmp)"; exit 1; }; \
	  if grep -q Overfull $$tmp/$$n.log; then echo "$$n: overfull box (log in $$tmp)"; exit 1; fi; \
	done; rm -rf $$tmp; echo "pdflatex: every sample compiles, no overfull box"

# The demo prints tables only, so it needs no Graphviz (pictures: make pictures, cgraph render).
demo: $(STAMP)
	$(BIN)/cgraph eval -f samples/seed_basic.cg
	$(BIN)/cgraph eval "(x+y)*z" --x 2 --y 3 --z -4

test: $(STAMP) graphviz chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy cgraph_cli/core
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The README's pictures: EXAMPLES.md row 1 and the CS231n neuron (tests/test_render.py fails
# when these are stale).
pictures: $(STAMP) graphviz
	$(BIN)/cgraph render "q = x + y; f = q * z" --x 2 --y 3 --z -4 -o docs/row1
	mv docs/row1.forward.svg docs/forward.svg
	mv docs/row1.backward.svg docs/backward.svg
	$(BIN)/cgraph render "f = 1/(1+exp(-(w0*x0+w1*x1+w2)))" \
	  --w0 2 --x0 -1 --w1 -3 --x1 -2 --w2 -3 -o docs/neuron

# Golden DOT files for every sample, pinned by tests/test_render.py; rerun after a deliberate
# change to the pictures and review the diff.
golden: $(STAMP)
	rm -f tests/golden/*.dot
	for f in samples/*.cg; do \
	  $(BIN)/cgraph render -f $$f --no-exact --format dot -o tests/golden/$$(basename $$f .cg) || exit 1; \
	done
	$(BIN)/cgraph render "d = a + b; e = b - c; Y = d * e" --format dot -o tests/golden/structure_only

# Benchmarks side by side with a plain-Python tape, micrograd and SymPy (optional, never
# runtime dependencies); writes benchmarks/results/latest.md. BENCH_ARGS=--quick for a smoke run.
bench: $(STAMP)
	-$(BIN)/pip install --quiet micrograd
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
