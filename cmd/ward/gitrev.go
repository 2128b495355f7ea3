package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/wardsec/ward/model"
)

// revisionModel is a model as it was at a git revision: the revision's
// model files copied out of the repository into a temporary directory, at
// their paths in the repository so imports between models still resolve.
type revisionModel struct {
	rev   string
	dir   string // the temporary directory; remove it when done
	path  string // the model inside dir
	label string // "REV:path", how positions and messages name it
}

// checkoutRevision copies the model files of rev out of the git repository
// holding modelPath, and returns where its model is among them. Only git's
// object store is read: the working tree, index and HEAD are left alone.
func checkoutRevision(ctx context.Context, rev, modelPath string) (*revisionModel, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("--git needs the git command: %w", err)
	}
	rel, top, err := repoPath(ctx, modelPath)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(rev, "-") {
		return nil, usagef("--git: %q is not a revision", rev)
	}
	commit, err := git(ctx, top, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return nil, usagef("--git: %q is not a commit in the repository at %s", rev, top)
	}
	blobs, found, err := modelBlobs(ctx, top, strings.TrimSpace(string(commit)), rel)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w: %s does not exist at %s", model.ErrInvalid, rel, rev)
	}
	dir, err := os.MkdirTemp("", "ward-diff-")
	if err != nil {
		return nil, fmt.Errorf("copy %s out of git: %w", rev, err)
	}
	if err := writeBlobs(ctx, top, dir, blobs); err != nil {
		_ = os.RemoveAll(dir) // best effort: the copy error is the one to report
		return nil, err
	}
	label := rev + ":" + rel
	if rel == "." {
		label = rev
	}
	return &revisionModel{rev: rev, dir: dir, path: filepath.Join(dir, filepath.FromSlash(rel)), label: label}, nil
}

// repoPath returns path relative to the top of its git repository, in
// slash form ("." for the top), and the top. The path need not exist in
// the working tree: it may have been deleted since the revision.
func repoPath(ctx context.Context, p string) (rel, top string, err error) {
	dir, base := p, ""
	if st, err := os.Stat(p); err != nil || !st.IsDir() {
		dir, base = filepath.Dir(p), filepath.Base(p)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", "", usagef("--git: no directory %s", dir)
	}
	out, err := git(ctx, dir, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		return "", "", usagef("--git: %s is not inside a git repository", dir)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != 2 {
		lines = append(lines, "") // at the top, the prefix is an empty line
	}
	top, prefix := lines[0], lines[1]
	return path.Clean(path.Join(prefix, filepath.ToSlash(base))), top, nil
}

// blob is one file of the revision.
type blob struct{ id, path string }

// modelBlobs lists the model files of commit, and rel if it is a file,
// and reports whether rel is a file or directory of commit.
func modelBlobs(ctx context.Context, top, commit, rel string) ([]blob, bool, error) {
	out, err := git(ctx, top, "ls-tree", "-r", "-z", "--full-tree", commit)
	if err != nil {
		return nil, false, err
	}
	var blobs []blob
	found := rel == "."
	for _, rec := range strings.Split(string(out), "\x00") {
		meta, name, ok := strings.Cut(rec, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 || fields[1] != "blob" || fields[0] == "120000" {
			continue // a submodule, a symlink, or the empty last record
		}
		if name == rel || strings.HasPrefix(name, rel+"/") {
			found = true
		}
		// Model files anywhere, since a model may import one outside PATH;
		// other YAML (manifests, rules) can be many and is not needed.
		if name == rel || strings.HasSuffix(name, model.FileSuffix) {
			blobs = append(blobs, blob{id: fields[2], path: name})
		}
	}
	return blobs, found, nil
}

// writeBlobs reads the blobs through one `git cat-file --batch` and
// writes each under dir at its path.
func writeBlobs(ctx context.Context, top, dir string, blobs []blob) error {
	var ids bytes.Buffer
	for _, b := range blobs {
		ids.WriteString(b.id + "\n")
	}
	cmd := exec.CommandContext(ctx, "git", "-C", top, "cat-file", "--batch") //nolint:gosec // G204: no shell; top is the repository git named
	cmd.Stdin = &ids
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	readErr := readBatch(bufio.NewReader(stdout), dir, blobs)
	if readErr != nil {
		_, _ = io.Copy(io.Discard, stdout) // let git finish writing before Wait
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git cat-file: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return readErr
}

// readBatch reads git cat-file --batch output: per object a header line
// "<id> <type> <size>", the content, and a newline.
func readBatch(r *bufio.Reader, dir string, blobs []blob) error {
	for _, b := range blobs {
		header, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("git cat-file: read %s: %w", b.path, err)
		}
		fields := strings.Fields(header)
		if len(fields) != 3 {
			return fmt.Errorf("git cat-file: unexpected header %q for %s", strings.TrimSpace(header), b.path)
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			return fmt.Errorf("git cat-file: unexpected header %q for %s", strings.TrimSpace(header), b.path)
		}
		local := filepath.FromSlash(b.path)
		if !filepath.IsLocal(local) {
			return fmt.Errorf("git: refusing file path %q outside the repository", b.path)
		}
		dst := filepath.Join(dir, local)
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return fmt.Errorf("copy %s: %w", b.path, err)
		}
		f, err := os.Create(dst)
		if err != nil {
			return fmt.Errorf("copy %s: %w", b.path, err)
		}
		_, err = io.CopyN(f, r, size)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("copy %s: %w", b.path, err)
		}
		if _, err := r.Discard(1); err != nil { // the newline after the content
			return fmt.Errorf("git cat-file: read %s: %w", b.path, err)
		}
	}
	return nil
}

// git runs git in dir and returns its stdout; the error carries stderr.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	// No shell is involved, and the one argument from the user, the
	// revision, is refused when it could read as an option.
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...) //nolint:gosec // G204: see above
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// load loads the model, naming its files "REV:path" in every position
// and message instead of their temporary copies.
func (r *revisionModel) load() (*model.Model, error) {
	m, err := model.Load(r.path)
	tmp := r.dir + string(filepath.Separator)
	if err != nil {
		return nil, renamedError{err: err, msg: strings.ReplaceAll(err.Error(), tmp, r.rev+":")}
	}
	rename := func(file string) string {
		if rest, ok := strings.CutPrefix(file, tmp); ok {
			return r.rev + ":" + filepath.ToSlash(rest)
		}
		return file
	}
	for i, f := range m.Files {
		m.Files[i] = rename(f)
	}
	renamePositions(reflect.ValueOf(m), rename, map[uintptr]bool{})
	return m, nil
}

// renamedError is a load error whose message names files as the user
// knows them; errors.Is still sees model.ErrInvalid.
type renamedError struct {
	err error
	msg string
}

func (e renamedError) Error() string { return e.msg }
func (e renamedError) Unwrap() error { return e.err }

var posType = reflect.TypeFor[model.Pos]()

// renamePositions renames the file of every model.Pos reachable from v:
// elements, references and properties all carry one. It walks the
// exported fields only, so it stays right as the model grows.
func renamePositions(v reflect.Value, rename func(string) string, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		renamePositions(v.Elem(), rename, seen)
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				p := v.Addr().Interface().(*model.Pos)
				p.File = rename(p.File)
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				renamePositions(v.Field(i), rename, seen)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			renamePositions(v.Index(i), rename, seen)
		}
	}
}
