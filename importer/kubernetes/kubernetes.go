// Package kubernetes imports Kubernetes manifests — plain, Helm-rendered or
// Kustomize output — into a Ward model: workloads, Services, Ingresses,
// RBAC, Secrets and NetworkPolicies become components in one zone per
// namespace, joined by the flows their selectors and references imply.
package kubernetes

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// SourceName is the word that selects this importer on the command line.
const SourceName = "kubernetes"

// Limits bound what one import may cost, so a hostile input cannot exhaust
// memory or time.
const (
	maxFileBytes = 50 << 20 // largest manifest file read
	maxFiles     = 10000    // most manifest files under one directory
	maxDocuments = 100000   // most YAML documents over all files
	maxDepth     = 128      // deepest nesting; CRD schemas nest deeply
	maxIndent    = 1024     // deepest indentation, checked before parsing
	maxNodes     = 1 << 24  // most YAML nodes over all files
	maxAliases   = 100      // most aliases in one document; manifests rarely use any
	maxFlows     = 200000   // most flows derived; selectors can pair every pod with every other
)

type source struct{}

// New returns the Kubernetes manifest importer.
func New() importer.Source { return source{} }

// Name returns "kubernetes".
func (source) Name() string { return SourceName }

// Import reads a manifest file, or every *.yaml and *.yml file under a
// directory, and derives the model. Malformed YAML fails the import with
// every problem's file:line:col; objects it cannot map become warnings.
func (source) Import(path string) (*importer.Result, error) {
	files, err := manifestFiles(path)
	if err != nil {
		return nil, err
	}
	r := newReader()
	for _, f := range files {
		if r.full() {
			break
		}
		data, err := readLimited(f)
		if err != nil {
			var ds model.Diagnostics
			if errors.As(err, &ds) {
				r.errs = append(r.errs, ds...)
				continue
			}
			return nil, err
		}
		r.read(f, data)
	}
	return r.result(titleFor(path))
}

// importData imports manifests already in memory, named file in positions.
func importData(file string, data []byte) (*importer.Result, error) {
	r := newReader()
	if len(data) > maxFileBytes {
		return nil, model.Diagnostics{{Pos: model.Pos{File: file, Source: SourceName}, Message: fmt.Sprintf("file is %d bytes, more than the limit of %d", len(data), maxFileBytes)}}
	}
	r.read(file, data)
	return r.result(titleFor(file))
}

func titleFor(path string) string {
	return "Kubernetes manifests in " + filepath.Base(filepath.Clean(path))
}

// manifestFiles lists path itself, or the manifests under it in name order.
func manifestFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read manifests: %w", err)
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != path && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir // .git and friends hold no manifests
			}
			return nil
		}
		if ext := strings.ToLower(filepath.Ext(p)); ext == ".yaml" || ext == ".yml" {
			if len(files) == maxFiles {
				return fmt.Errorf("more than %d manifest files under %s; import a smaller directory", maxFiles, path)
			}
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list manifests: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no *.yaml or *.yml files under %s", model.ErrInvalid, path)
	}
	slices.Sort(files)
	return files, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read manifests: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only; a close error loses nothing
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, model.Diagnostics{{Pos: model.Pos{File: path, Source: SourceName},
			Message: fmt.Sprintf("file is larger than the limit of %d bytes; split it", maxFileBytes)}}
	}
	return data, nil
}
