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

# What the tests need beyond Go, installed from Debian's packages when
# missing (as root, or via sudo): Chromium for the HTML report's browser test,
# and the PostgreSQL server that internal/pgtest starts for the store tests.
# A system cluster the package may start is harmless: tests run their own.
deps:
	@missing=; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium fonts-dejavu-core"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "installing for the tests:$$missing"; \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
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
