package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/term"
)

// output is where a command's result goes: stdout, or a file given with -o
// that is written atomically (temp file + rename) so a failed run never
// leaves a half-written report behind.
type output struct {
	w      io.Writer
	tmp    *os.File
	direct *os.File // a non-regular file written in place
	path   string
	tty    bool
	width  int // terminal columns, 0 when not a terminal
}

func openOutput(path string, stdout io.Writer) (*output, error) {
	if path == "" || path == "-" {
		o := &output{w: stdout}
		if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			o.tty = true
			if w, _, err := term.GetSize(int(f.Fd())); err == nil {
				o.width = w
			}
		}
		return o, nil
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		// A device or pipe (-o /dev/stdout, a FIFO): write to it directly;
		// renaming a temporary file over it would replace it.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("open output: %w", err)
		}
		return &output{w: f, direct: f, path: path}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("create output: %w", err)
	}
	// CreateTemp makes the file private; a report is an ordinary file.
	if err := tmp.Chmod(0o644); err != nil { //nolint:gosec // reports are meant to be read
		_ = tmp.Close()           // the chmod error is the one to report
		_ = os.Remove(tmp.Name()) // best effort
		return nil, fmt.Errorf("create output: %w", err)
	}
	return &output{w: tmp, tmp: tmp, path: path}, nil
}

// writeOutput writes a command's result to path (stdout when "" or "-"):
// it commits what write wrote, or discards it when write fails.
func writeOutput(path string, stdout io.Writer, write func(o *output) error) error {
	out, err := openOutput(path, stdout)
	if err != nil {
		return err
	}
	if err := write(out); err != nil {
		out.abort()
		return err
	}
	return out.commit()
}

// commit finishes the output: for a file, sync, close and rename it into
// place. After a failed run call abort instead.
func (o *output) commit() error {
	if o.direct != nil {
		if err := o.direct.Close(); err != nil {
			return fmt.Errorf("write %s: %w", o.path, err)
		}
		return nil
	}
	if o.tmp == nil {
		return nil
	}
	if err := o.tmp.Sync(); err != nil {
		o.abort()
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := o.tmp.Close(); err != nil {
		o.abort()
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := os.Rename(o.tmp.Name(), o.path); err != nil {
		_ = os.Remove(o.tmp.Name()) // best effort: the rename error is the one to report
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}

// abort discards a file output.
func (o *output) abort() {
	if o.direct != nil {
		_ = o.direct.Close() // nothing to undo in a device or pipe
		return
	}
	if o.tmp == nil {
		return
	}
	_ = o.tmp.Close()           // the file is being thrown away
	_ = os.Remove(o.tmp.Name()) // best effort; a leftover dot-file is harmless
}

// color reports whether to colour terminal output: only on a terminal, and
// never when NO_COLOR is set.
func (o *output) color() bool {
	return o.tty && os.Getenv("NO_COLOR") == ""
}

// chooseFormat is format when it is one of formats, else the format
// formatOf reads from the output's extension, else def.
func chooseFormat(format, outPath string, formats []string, formatOf func(string) (string, bool), def string) (string, error) {
	if format != "" {
		if !slices.Contains(formats, format) {
			return "", usagef("--format: unknown format %q (want one of %s)", format, strings.Join(formats, ", "))
		}
		return format, nil
	}
	if f, ok := formatOf(outPath); ok && outPath != "-" {
		return f, nil
	}
	return def, nil
}
