package brainstorm

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"charm.land/huh/v2"
)

// TestFormsInSequenceGetTheirOwnKeys types into a pipe while forms show one
// after the other: each must get the keys typed while it shows, none taken
// by the one before it. (An io.Pipe, not an os.Pipe: with a file, the
// terminal library's cancelable reader polls the descriptor while the
// program closes it, a race inside the library that -race reports.)
func TestFormsInSequenceGetTheirOwnKeys(t *testing.T) {
	t.Setenv("TERM", "xterm-256color") // a dumb one would turn the accessible mode on
	r, w := io.Pipe()
	defer w.Close() //nolint:errcheck // test cleanup
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := newForms(ctx, r, io.Discard, false)
	defer f.Close()
	for _, want := range []string{"a", "b", "c", "d"} {
		time.AfterFunc(100*time.Millisecond, func() {
			if _, err := w.Write([]byte(want + "\r")); err != nil {
				t.Error(err)
			}
		})
		var got string
		if err := f.run(huh.NewGroup(huh.NewInput().Value(&got))); err != nil {
			t.Fatalf("form %s: %v (its keys went elsewhere)", want, err)
		}
		if got != want {
			t.Errorf("form %s got %q", want, got)
		}
	}
}

func TestFormsInterrupted(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	r, w := io.Pipe()
	defer w.Close() //nolint:errcheck // test cleanup
	ctx, cancel := context.WithCancel(context.Background())
	f := newForms(ctx, r, io.Discard, false)
	defer f.Close()
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := f.Element([]Element{{ID: "api", Kind: "process"}}); !errors.Is(err, ErrStopped) || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err %v, want interrupted", err)
	}
}
