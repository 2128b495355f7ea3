package modelfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// beforeCheck, when set by a test, runs after the new text is safely on
// disk beside the file and before the file is checked for changes.
var beforeCheck func()

// Commit writes the edited text back to the file. It writes a temporary
// file in the same directory with the file's permission bits, syncs it, checks
// that the file still holds exactly the bytes that were read, and renames
// the temporary file over it, so readers see the old file or the new one,
// never a mix. When the file changed in the meantime it writes nothing and
// returns an error wrapping ErrChanged. Commit without changes does
// nothing.
func (f *File) Commit() (err error) {
	if !f.Changed() {
		return nil
	}
	st, err := os.Stat(f.real)
	if err != nil {
		return fmt.Errorf("%s %w; nothing was written; run the command again", f.Path, ErrChanged)
	}
	dir, base := filepath.Split(f.real)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()           // may already be closed; the write error is what matters
			_ = os.Remove(tmp.Name()) // best effort: the temporary file is hidden and harmless
		}
	}()
	if _, err := tmp.Write(f.text); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	if beforeCheck != nil {
		beforeCheck()
	}
	// The window between this check and the rename is a few system calls;
	// an editor saving within it is the one case this cannot see.
	now, err := os.ReadFile(f.real)
	if err != nil || sha256.Sum256(now) != f.sum {
		return fmt.Errorf("%s %w; nothing was written; run the command again", f.Path, ErrChanged)
	}
	if err := os.Rename(tmp.Name(), f.real); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	f.orig, f.sum = bytes.Clone(f.text), sha256.Sum256(f.text)
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	// Some file systems cannot sync a directory; the rename stands anyway.
	if errors.Is(err, os.ErrInvalid) {
		return nil
	}
	return err
}
