// Command ward is threat modeling as code: describe a system in YAML, get
// its threats, ranked, with mitigations and a CI gate.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
)

// softMemoryLimit keeps the heap of a very large analysis (100k components)
// under 1 GB, the memory of a small CI runner: the collector works harder
// as the heap nears it, and nothing fails if it is passed. Smaller models
// never reach it. GOMEMLIMIT overrides it ("off" removes it).
const softMemoryLimit = 768 << 20

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
