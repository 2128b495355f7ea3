package brainstorm

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// feed reads the person's input one line at a time aside, so that a
// prompt waiting for a line notices Ctrl-C (its context done) at once, not
// only once they press Enter.
type feed struct {
	lines chan string   // closed when the input ends
	stop  chan struct{} // closed by close
}

func newFeed(in io.Reader) *feed {
	f := &feed{lines: make(chan string), stop: make(chan struct{})}
	go func() {
		defer close(f.lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, 4096), 1<<20)
		for sc.Scan() {
			select {
			case f.lines <- sc.Text():
			case <-f.stop:
				return
			}
		}
	}()
	return f
}

// next returns the next line, without its line ending, or an error
// wrapping ErrStopped when the input ended or ctx is done.
func (f *feed) next(ctx context.Context) (string, error) {
	select {
	case l, ok := <-f.lines:
		if !ok {
			return "", fmt.Errorf("the input ended: %w", ErrStopped)
		}
		return l, nil
	case <-ctx.Done():
		return "", fmt.Errorf("interrupted: %w", ErrStopped)
	}
}

// close stops reading. A read already waiting for a line keeps waiting
// until that line arrives, then ends.
func (f *feed) close() { close(f.stop) }

// lineReader gives one line of f per Read, so that a reader that buffers
// ahead (a bufio.Scanner made for one answer) takes no more than its own
// line. Once f stops it returns the error next gave, and keeps it in err.
type lineReader struct {
	ctx  context.Context
	f    *feed
	rest []byte
	err  error
}

func (r *lineReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if len(r.rest) == 0 {
		l, err := r.f.next(r.ctx)
		if err != nil {
			r.err = err
			return 0, err
		}
		r.rest = []byte(l + "\n")
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}
