# Ward's everyday commands. `make test` is what CI runs.
GO ?= go

.PHONY: build test test-short lint fmt bench fuzz clean

build:
	$(GO) build -o ward ./cmd/ward

# Everything CI checks: formatting, vet, and all tests with the race detector.
test:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt wants changes in:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...

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
