package model

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// FileSuffix marks the files of a model inside a directory.
const FileSuffix = ".ward.yaml"

// ErrNoModel is returned when a directory holds no model files.
var ErrNoModel = errors.New("no model files")

// Load reads the model at path: one file, or every *.ward.yaml file under a
// directory (hidden directories skipped), merged into one model. It reports
// every problem found, each as file:line:col, in an error that wraps
// ErrInvalid.
func Load(path string) (*Model, error) {
	return LoadWith(path, DefaultLimits)
}

// LoadWith is Load with explicit limits.
func LoadWith(path string, lim Limits) (*Model, error) {
	files, err := modelFiles(path)
	if err != nil {
		return nil, err
	}
	m, all, err := parseFiles(files, lim)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, all.Err()
	}
	if len(m.Imports) > 0 {
		merged, diags := resolveImports(path, m, lim)
		if len(diags) > 0 {
			return nil, append(all, diags...).Err()
		}
		m = merged
	}
	all = append(all, m.Validate()...)
	if err := all.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// parseFiles reads and decodes a model's files, merged but neither
// validated nor joined with their imports. The model is nil when a file is
// not YAML; err is set when a file cannot be read.
func parseFiles(files []string, lim Limits) (*Model, Diagnostics, error) {
	parts := make([]*Model, len(files))
	diags := make([]Diagnostics, len(files))
	errs := make([]error, len(files))
	// Files parse in parallel: YAML parsing dominates load time.
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			data, err := readLimited(f, lim.MaxBytes)
			if err != nil {
				errs[i] = err
				return
			}
			parts[i], diags[i] = Parse(f, data, lim)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	var all Diagnostics
	for i, d := range diags {
		all = append(all, d...)
		if parts[i] == nil {
			// Not YAML: references into it would only add noise.
			return nil, all, nil
		}
	}
	return merge(parts, &all), all, nil
}

// Parse decodes one model file's bytes without validating references, which
// may point into other files of the same model. The model is nil when the
// bytes are not YAML.
func Parse(file string, data []byte, lim Limits) (*Model, Diagnostics) {
	m := &Model{Files: []string{file}}
	if int64(len(data)) <= lim.MaxBytes {
		if diags, ok := decodeChunked(file, data, m, lim); ok {
			m.Pos = Pos{File: file, Line: 1, Col: 1}
			return m, diags
		}
		m = &Model{Files: []string{file}}
	}
	diags, parsed := decodeYAML(file, data, m, lim)
	if !parsed {
		return nil, diags
	}
	m.Pos = Pos{File: file, Line: 1, Col: 1}
	return m, diags
}

// ParseBytes decodes and validates a single-file model held in memory.
func ParseBytes(file string, data []byte) (*Model, error) {
	m, diags := Parse(file, data, DefaultLimits)
	if m != nil {
		diags = append(diags, m.Validate()...)
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

func modelFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != path && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), FileSuffix) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: %w: %s holds no *%s files", ErrInvalid, ErrNoModel, path, FileSuffix)
	}
	sort.Strings(files)
	return files, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	defer f.Close() //nolint:errcheck // read-only file; a close error loses nothing
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, Diagnostics{{Pos: Pos{File: path}, Message: fmt.Sprintf("file is larger than the limit of %d bytes", limit)}}
	}
	return data, nil
}

// merge joins the parts of a directory model. Lists concatenate; each
// single-valued header field may be set in one file only.
func merge(parts []*Model, diags *Diagnostics) *Model {
	if len(parts) == 1 {
		return parts[0]
	}
	m := &Model{Pos: parts[0].Pos}
	set := map[string]Pos{}
	once := func(name string, isSet bool, p Pos) bool {
		if !isSet {
			return false
		}
		if first, dup := set[name]; dup {
			diags.add(p, "%s is already set in %s", name, first)
			return false
		}
		set[name] = p
		return true
	}
	for _, p := range parts {
		m.Files = append(m.Files, p.Files...)
		if once("title", p.Title != "", p.Pos) {
			m.Title = p.Title
		}
		if once("scope", p.Scope != Scope{}, p.Scope.Pos) {
			m.Scope = p.Scope
		}
		if once("authors", len(p.Authors) > 0, p.Pos) {
			m.Authors = p.Authors
		}
		if once("created", !p.Created.IsZero(), p.Pos) {
			m.Created = p.Created
		}
		if once("updated", !p.Updated.IsZero(), p.Pos) {
			m.Updated = p.Updated
		}
		if once("review_every", p.ReviewEvery.Days > 0, p.Pos) {
			m.ReviewEvery = p.ReviewEvery
		}
		if once("risk", p.Risk != nil, p.Pos) {
			m.Risk = p.Risk
		}
		m.Assets = append(m.Assets, p.Assets...)
		m.Actors = append(m.Actors, p.Actors...)
		m.Zones = append(m.Zones, p.Zones...)
		m.Components = append(m.Components, p.Components...)
		m.Flows = append(m.Flows, p.Flows...)
		m.Threats = append(m.Threats, p.Threats...)
		m.Mitigations = append(m.Mitigations, p.Mitigations...)
		m.Accepted = append(m.Accepted, p.Accepted...)
		m.Doomsday = append(m.Doomsday, p.Doomsday...)
		m.Features = append(m.Features, p.Features...)
		m.Imports = append(m.Imports, p.Imports...)
	}
	return m
}
