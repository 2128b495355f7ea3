// Package modelfile changes a model file in place — adds a mitigation, an
// accepted risk or hand-written threats, updates a mitigation's status —
// touching only the bytes the change needs, so comments, key order and
// formatting stay as the author wrote them. Every change is checked by
// parsing the result again before it is kept, and Commit writes the file
// atomically, refusing when someone changed it in the meantime.
package modelfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

var (
	// ErrChanged is returned by Commit when the file on disk is no longer
	// the one that was read; nothing is written.
	ErrChanged = errors.New("changed while Ward was editing it")
	// ErrUnsafe is returned when a change, parsed again, would not mean
	// exactly what was intended; the text is left as it was.
	ErrUnsafe = errors.New("this change cannot be made safely in place")
)

// File is a model file read into memory to be changed and written back.
// Its methods are not safe for concurrent use.
type File struct {
	// Path is the name the file was read under, used in messages.
	Path string
	real string   // Path with symbolic links resolved: what Commit replaces
	orig []byte   // the bytes read
	sum  [32]byte // their hash, to notice a change by someone else
	text []byte   // orig with the edits applied
}

// Read reads the model file at path for editing. The file must decode
// without a problem on its own (references into other files of a
// directory model are not checked here).
func Read(path string) (*File, error) {
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	fh, err := os.Open(resolved)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	defer fh.Close() //nolint:errcheck // read-only; a close error loses nothing
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", model.ErrInvalid, path)
	}
	data, err := io.ReadAll(io.LimitReader(fh, model.DefaultLimits.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	f, err := New(path, data)
	if err != nil {
		return nil, err
	}
	f.real = resolved
	return f, nil
}

// New holds data, the text of the model file at path, for editing. Commit
// writes path only if it still holds data.
func New(path string, data []byte) (*File, error) {
	m, diags := model.Parse(path, data, model.DefaultLimits)
	if m == nil || len(diags) > 0 {
		return nil, fmt.Errorf("%s has problems; fix them before editing it with Ward:\n%w", path, diags.Err())
	}
	if _, err := parseDoc(path, data); err != nil {
		return nil, err
	}
	return &File{Path: path, real: path, orig: data, sum: sha256.Sum256(data), text: data}, nil
}

// Bytes returns the text with every edit so far applied. The caller must
// not modify it.
func (f *File) Bytes() []byte { return f.text }

// Changed reports whether an edit changed the text.
func (f *File) Changed() bool { return !bytes.Equal(f.orig, f.text) }

// Diff returns the changes as a unified diff of the file against itself,
// or "" when there are none.
func (f *File) Diff() string { return unifiedDiff(f.Path, f.orig, f.text) }

// apply makes one edit. edit finds the splices that make it in the
// current text and makes the same change to the parsed tree; the new text
// must parse to that tree and decode as a model without a problem, or the
// text stays as it was.
func (f *File) apply(edit func(d *doc) ([]splice, error)) (*doc, error) {
	d, err := parseDoc(f.Path, f.text)
	if err != nil {
		return nil, err
	}
	ss, err := edit(d)
	if err != nil || len(ss) == 0 {
		return d, err
	}
	text := applySplices(f.text, ss)
	unsafe := func(why error) error {
		return fmt.Errorf("%s: %w (%w); nothing was changed: make the change by hand", f.Path, ErrUnsafe, why)
	}
	nd, err := parseDoc(f.Path, text)
	if err != nil {
		return nil, unsafe(err)
	}
	if !sameTree(nd.root, d.root) {
		return nil, unsafe(errors.New("the new text parses to something else"))
	}
	if m, diags := model.Parse(f.Path, text, model.DefaultLimits); m == nil || len(diags) > 0 {
		return nil, unsafe(diags)
	}
	f.text = text
	return nd, nil
}

// itemEdit is one change to a list item, found afresh in the current text.
type itemEdit func(d *doc, item *yaml.Node) ([]splice, error)

func setItemValue(key string, v *yaml.Node) itemEdit {
	return func(d *doc, item *yaml.Node) ([]splice, error) { return d.setValue(item, key, v) }
}

// editItem makes edits one at a time, as one transaction, to the item
// find locates in each new text, and returns the line where the item
// starts.
func (f *File) editItem(find func(d *doc) (*yaml.Node, error), edits []itemEdit) (int, error) {
	var line int
	readLine := func(_ *doc, item *yaml.Node) ([]splice, error) { line = item.Line; return nil, nil }
	err := f.transaction(func() error {
		for _, edit := range append(slices.Clip(edits), readLine) {
			if _, err := f.apply(func(d *doc) ([]splice, error) {
				item, err := find(d)
				if err != nil {
					return nil, err
				}
				return edit(d, item)
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return line, err
}

// transaction runs edits as one: when one fails, the text is put back as
// it was before the first.
func (f *File) transaction(edits func() error) error {
	before := f.text
	if err := edits(); err != nil {
		f.text = before
		return err
	}
	return nil
}
