package server

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

// Limits bound what one upload may cost the server.
type Limits struct {
	MaxBody     int64 // bytes of the request, compressed
	MaxUnpacked int64 // bytes of all files after unpacking
	MaxFiles    int   // files in an archive
	Model       model.Limits
}

// DefaultLimits admit a large model (tens of thousands of elements) and
// refuse archive bombs.
var DefaultLimits = Limits{
	MaxBody:     32 << 20,
	MaxUnpacked: 128 << 20,
	MaxFiles:    2000,
	Model:       model.Limits{MaxBytes: 64 << 20, MaxDepth: 64, MaxIndent: 1024},
}

// errUpload marks input the uploader must fix (HTTP 400 / 413).
var errUpload = errors.New("bad upload")

// errTooLarge marks an upload over a size limit (HTTP 413).
var errTooLarge = errors.New("upload too large")

// files are an upload's contents by slash-separated relative path.
type files map[string][]byte

// unpack reads an upload: a gzipped tar or a zip of a directory, or a single
// model file named name. Entries must be regular files with relative paths
// that stay inside the archive.
func unpack(body []byte, name string, lim Limits) (files, error) {
	switch {
	case bytes.HasPrefix(body, []byte{0x1f, 0x8b}):
		return unpackTar(body, lim)
	case bytes.HasPrefix(body, []byte("PK\x03\x04")):
		return unpackZip(body, lim)
	}
	if name == "" {
		name = "model" + model.FileSuffix
	}
	clean, err := cleanPath(path.Base(name))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > lim.MaxUnpacked {
		return nil, fmt.Errorf("%w: the model file is over %d bytes", errTooLarge, lim.MaxUnpacked)
	}
	return files{clean: body}, nil
}

func unpackTar(body []byte, lim Limits) (files, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: not a gzip archive: %v", errUpload, err)
	}
	tr := tar.NewReader(zr)
	out := files{}
	var total int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: reading the archive: %v", errUpload, err)
		}
		switch h.Typeflag {
		case tar.TypeDir, tar.TypeXGlobalHeader:
			continue
		case tar.TypeReg:
		default:
			return nil, fmt.Errorf("%w: %s: only regular files and directories are accepted (no links or devices)", errUpload, h.Name)
		}
		if err := out.add(h.Name, tr, &total, lim); err != nil {
			return nil, err
		}
	}
}

func unpackZip(body []byte, lim Limits) (files, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a zip archive: %v", errUpload, err)
	}
	out := files{}
	var total int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if !f.Mode().IsRegular() {
			return nil, fmt.Errorf("%w: %s: only regular files and directories are accepted (no links or devices)", errUpload, f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errUpload, f.Name, err)
		}
		err = out.add(f.Name, rc, &total, lim)
		_ = rc.Close() // read-only entry; add's error is the one that matters
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// add reads one entry, counting its real size against the limits: the
// sizes archives declare are not trusted.
func (fs files) add(name string, r io.Reader, total *int64, lim Limits) error {
	clean, err := cleanPath(name)
	if err != nil {
		return err
	}
	if _, dup := fs[clean]; dup {
		return fmt.Errorf("%w: %s appears twice in the archive", errUpload, clean)
	}
	if len(fs) >= lim.MaxFiles {
		return fmt.Errorf("%w: the archive holds more than %d files", errTooLarge, lim.MaxFiles)
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxUnpacked-*total+1))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errUpload, clean, err)
	}
	*total += int64(len(data))
	if *total > lim.MaxUnpacked {
		return fmt.Errorf("%w: the archive unpacks to more than %d bytes", errTooLarge, lim.MaxUnpacked)
	}
	fs[clean] = data
	return nil
}

// cleanPath accepts a relative path that stays inside the archive.
func cleanPath(name string) (string, error) {
	if strings.ContainsRune(name, 0) || strings.Contains(name, `\`) {
		return "", fmt.Errorf("%w: %q: not a usable file name", errUpload, name)
	}
	c := path.Clean(strings.TrimPrefix(name, "./"))
	if path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") || c == "." {
		return "", fmt.Errorf("%w: %q: paths must be relative and stay inside the archive", errUpload, name)
	}
	return c, nil
}

// pack writes files as a gzipped tar, sorted and timeless, so one upload
// always packs to the same bytes.
func (fs files) pack() ([]byte, error) {
	names := make([]string, 0, len(fs))
	for n := range fs {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, n := range names {
		h := &tar.Header{Name: n, Mode: 0o644, Size: int64(len(fs[n])), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(fs[n]); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rootOf picks the model inside an upload when the uploader did not: the
// top level if it holds model files, else the one top-level directory.
func (fs files) rootOf(root string) (string, error) {
	if root == "." || root == "./" {
		root = ""
	}
	if root != "" {
		c, err := cleanPath(root)
		if err != nil {
			return "", err
		}
		for n := range fs {
			if n == c || strings.HasPrefix(n, c+"/") {
				return c, nil
			}
		}
		return "", fmt.Errorf("%w: root %q: no such file or directory in the upload", errUpload, root)
	}
	tops := map[string]bool{}
	for n := range fs {
		top, _, nested := strings.Cut(n, "/")
		if !nested && strings.HasSuffix(n, model.FileSuffix) {
			return ".", nil
		}
		if nested {
			tops[top] = true
		}
	}
	if len(tops) == 1 {
		for t := range tops {
			return t, nil
		}
	}
	if len(fs) == 1 {
		for n := range fs {
			return n, nil
		}
	}
	return "", fmt.Errorf("%w: no %s files at the top of the upload; name the model's directory with ?root=DIR", errUpload, model.FileSuffix)
}

// analyze loads the model at root inside the files and analyzes it. The
// files are written to a private temporary directory because the model
// loader reads files; imports are confined to it, and the directory's name
// is taken out of error messages so they read as paths in the upload.
func analyze(fs files, root string, lib *rules.Library, lim Limits, now time.Time) (*engine.Result, error) {
	dir, err := os.MkdirTemp("", "ward-model-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir) //nolint:errcheck // a leftover temp dir is harmless
	for n, data := range fs {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return nil, err
		}
	}
	ml := lim.Model
	ml.Root = dir
	m, err := model.LoadWith(filepath.Join(dir, filepath.FromSlash(root)), ml)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errUpload, strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	}
	res, err := engine.Analyze(m, lib, engine.Options{Now: now})
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errUpload, strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	}
	relocate(res, dir)
	return res, nil
}

// relocate makes every file position in the result relative to the
// upload, as the uploader knows it: the model's files, each element's and
// property's position, each threat's location, each warning. It walks the
// result by reflection so that a position added to the model later is not
// forgotten here and does not leak the server's temporary directory.
func relocate(res *engine.Result, dir string) {
	prefix := dir + string(filepath.Separator)
	trim := func(p string) string { return filepath.ToSlash(strings.TrimPrefix(p, prefix)) }
	for i, f := range res.Model.Files {
		res.Model.Files[i] = trim(f)
	}
	seen := map[uintptr]bool{}
	posType := reflect.TypeFor[model.Pos]()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			if v.Type() == posType {
				// Set only what changes: library data reached from threats
				// is shared between analyses and must not be written.
				if f := v.FieldByName("File"); f.CanSet() && strings.HasPrefix(f.String(), prefix) {
					f.SetString(trim(f.String()))
				}
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Value()) // values held by pointer are reached; copies cannot be set
			}
		}
	}
	walk(reflect.ValueOf(res))
}
