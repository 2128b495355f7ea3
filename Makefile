# Ward's everyday commands. `make test` is what CI runs.
GO ?= go

.PHONY: build deps test test-short lint fmt bench fuzz clean

build:
	$(GO) build -o ward ./cmd/ward

# Everything CI checks: formatting, vet, and all tests with the race detector.
test: deps
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt wants changes in:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...

# What the tests need beyond Go: Chromium for the HTML report's browser
# test. Installed from Debian's packages when missing (as root, or via sudo).
deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing chromium for the browser tests"; \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; \
	fi

# Quick loop while editing: no race detector, slow tests skipped.
test-short:
	$(GO) test -short ./...

lint:
	$(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0 run ./...

fmt:
	gofmt -w .

# Load and analysis at 1k, 10k and 100k components; see docs/performance.md.
bench:
	$(GO) test ./engine -run '^$$' -bench . -benchtime 1x -count 3

fuzz:
	$(GO) test ./model -run '^$$' -fuzz FuzzLoadModel -fuzztime 60s

clean:
	rm -f ward
	find . -name '*.got.*' -delete
