package pgtest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// debianBinaries is where Debian's postgresql packages put each major
// version's server programs.
const debianBinaries = "/usr/lib/postgresql/*/bin"

// errNotInstalled names the fix, since a missing server is a setup problem.
var errNotInstalled = fmt.Errorf("PostgreSQL server not found (no %s/initdb); run `make deps` to install it", debianBinaries)

// findBinDir returns the newest bin directory matching pattern that has
// both initdb and postgres.
func findBinDir(pattern string) (string, error) {
	matches, err := filepath.Glob(filepath.Join(pattern, "initdb"))
	if err != nil {
		return "", fmt.Errorf("find PostgreSQL: %w", err)
	}
	var dirs []string
	for _, initdb := range matches {
		dir := filepath.Dir(initdb)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			dirs = append(dirs, dir)
		}
	}
	if len(dirs) == 0 {
		return "", errNotInstalled
	}
	return newestVersion(dirs), nil
}

// newestVersion picks the directory whose version (the parent folder's name,
// such as 9.6 or 17) is highest, comparing numbers rather than text so 17
// beats 9.6. dirs must not be empty.
func newestVersion(dirs []string) string {
	return slices.MaxFunc(dirs, func(a, b string) int {
		return slices.Compare(versionOf(a), versionOf(b))
	})
}

func versionOf(binDir string) []int {
	var parts []int
	for field := range strings.SplitSeq(filepath.Base(filepath.Dir(binDir)), ".") {
		n, err := strconv.Atoi(field)
		if err != nil {
			n = -1 // unversioned folders sort last
		}
		parts = append(parts, n)
	}
	return parts
}
