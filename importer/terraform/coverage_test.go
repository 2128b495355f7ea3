package terraform

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/aws"
)

const coverageDoc = "../../docs/import-coverage.md"

// coverageTable is one provider's translation tables, as the generator
// reads them.
type coverageTable struct {
	provider, shape string // "aws", "CloudFormation type"
	kinds           map[string]kind
	folders         []map[string]folder
	mapping         func([]importer.Resource, string) *importer.Result
}

func coverageTables() []coverageTable {
	byPrefix := map[string]func([]importer.Resource, string) *importer.Result{}
	for _, p := range providers {
		byPrefix[p.prefix] = p.mapping
	}
	return []coverageTable{
		{"aws", "CloudFormation type", kinds, []map[string]folder{folders, awsFolders}, byPrefix["aws_"]},
		{"azurerm", "Azure Resource Manager type", azurermKinds, []map[string]folder{azurermFolders}, byPrefix["azurerm_"]},
		{"google", "Cloud Asset Inventory type", googleKinds, []map[string]folder{googleFolders}, byPrefix["google_"]},
	}
}

// TestCoverageDoc generates docs/import-coverage.md from the translation
// tables and the mappings, and fails when the committed file differs;
// -update rewrites it.
func TestCoverageDoc(t *testing.T) {
	keys, err := argumentNames(".")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("# Import coverage\n\n" +
		"Generated from the translation tables by `go test ./importer/terraform -run TestCoverageDoc -update`;\n" +
		"do not edit by hand. Each Terraform type is translated into its provider's shape and mapped to a\n" +
		"Ward component kind, or folded into the resource it configures. A type not listed is imported as a\n" +
		"generic component and named in a warning. See [import.md](import.md).\n")
	for _, tab := range coverageTables() {
		writeProvider(t, &b, tab, keys)
	}
	writeCloudFormation(t, &b)
	got := []byte(b.String())
	if updating() {
		if err := os.WriteFile(coverageDoc, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(coverageDoc)
	if err != nil {
		t.Fatalf("%v (run go test ./importer/terraform -run TestCoverageDoc -update)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s is out of date; run go test ./importer/terraform -run TestCoverageDoc -update", coverageDoc)
	}
}

// TestCoverageCount keeps the AWS translation from shrinking below what
// is promised in docs/import.md.
func TestCoverageCount(t *testing.T) {
	n := len(kinds)
	for typ := range folders {
		if _, dup := kinds[typ]; !dup {
			n++
		}
	}
	n += len(awsFolders)
	if n < 80 {
		t.Errorf("%d aws_* types handled, want at least 80", n)
	}
	for _, p := range []struct {
		name  string
		kinds map[string]kind
		fold  map[string]folder
		least int
	}{{"azurerm", azurermKinds, azurermFolders, 20}, {"google", googleKinds, googleFolders, 15}} {
		n := len(p.kinds)
		for typ := range p.fold {
			if _, dup := p.kinds[typ]; !dup {
				n++
			}
		}
		if n < p.least {
			t.Errorf("%d %s types handled, want at least %d", n, p.name, p.least)
		}
	}
}

// updating reads the -update flag the golden tests of this test binary
// define.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func writeProvider(t *testing.T, b *strings.Builder, tab coverageTable, keys []string) {
	types := slices.Collect(maps.Keys(tab.kinds))
	folded := map[string]folder{}
	for _, fs := range tab.folders {
		for typ, f := range fs {
			if _, ok := tab.kinds[typ]; !ok {
				folded[typ] = f
				types = append(types, typ)
			}
		}
	}
	slices.Sort(types)
	fmt.Fprintf(b, "\n## Terraform `%s_*` (%d types)\n\n| Terraform type | %s | Ward kind |\n| --- | --- | --- |\n",
		tab.provider, len(types), tab.shape)
	for _, typ := range types {
		if f, ok := folded[typ]; ok {
			fmt.Fprintf(b, "| `%s` | — | %s |\n", typ, foldTargets(t, tab, f, keys))
			continue
		}
		k := tab.kinds[typ]
		r := importer.Resource{Type: typ, ID: "probe", Props: map[string]any{}}
		if tab.provider == "aws" {
			r = convert(r) // names and rule directions as translate makes them
		} else {
			r = convertBy(tab.kinds, r)
		}
		fmt.Fprintf(b, "| `%s` | `%s` | %s |\n", typ, k.cfn, kindOf(t, tab.mapping, r))
	}
}

func writeCloudFormation(t *testing.T, b *strings.Builder) {
	types := aws.Types()
	fmt.Fprintf(b, "\n## CloudFormation (%d types)\n\nThe types the AWS mapping knows, whichever source they come from.\n\n"+
		"| CloudFormation type | Ward kind |\n| --- | --- |\n", len(types))
	for _, typ := range types {
		r := importer.Resource{Type: typ, ID: "probe", Props: map[string]any{}}
		fmt.Fprintf(b, "| `%s` | %s |\n", typ, kindOf(t, aws.Map, r))
	}
}

// kindOf maps one resource alone and says what it became.
func kindOf(t *testing.T, mapping func([]importer.Resource, string) *importer.Result, r importer.Resource) string {
	t.Helper()
	res := mapping([]importer.Resource{r}, "probe")
	if strings.Contains(res.Warnings.Error(), "not known to the") {
		return "generic component (not mapped)"
	}
	for _, c := range res.Model.Components {
		if c.ID == "probe" {
			return "`" + string(c.Kind) + "`"
		}
	}
	for _, z := range res.Model.Zones {
		if z.ID == "probe" {
			return "zone"
		}
	}
	return "no component: configures other resources"
}

// foldTargets finds what a split resource folds into by offering it each
// type of the table as its target, with every argument naming it.
func foldTargets(t *testing.T, tab coverageTable, f folder, keys []string) string {
	t.Helper()
	var targets []string
	probes := probeArguments(keys)
	for _, typ := range slices.Sorted(maps.Keys(tab.kinds)) {
		cfn := tab.kinds[typ].cfn
		if slices.Contains(targets, "`"+cfn+"`") {
			continue
		}
		for i, probe := range probes {
			key := fmt.Sprint(typ, i)
			if converted[key] == nil {
				converted[key] = convertBy(tab.kinds, importer.Resource{Type: typ, ID: "target", Props: probe}).Props
			}
			target := importer.Resource{Type: cfn, ID: "target", Props: copyMap(converted[key])}
			if safeFold(f, probe, map[string]*importer.Resource{"target": &target}) {
				targets = append(targets, "`"+cfn+"`")
				break
			}
		}
	}
	// A folder that takes any type names its target by reference alone.
	if len(targets) == 0 || len(targets) > 3 {
		return "folded into the resource it names"
	}
	return "folded into " + strings.Join(targets, " or ")
}

// converted caches targets made from the probe arguments, by type and
// probe; folds get a copy.
var converted = map[string]map[string]any{}

// probeArguments are two sets of Terraform arguments: each name a
// reference to the target, and each name a list of one.
func probeArguments(keys []string) []map[string]any {
	ref := importer.ResourceRef{ID: "target"}
	one, list := map[string]any{}, map[string]any{}
	for _, k := range keys {
		one[k] = ref
		list[k] = []any{ref}
	}
	return []map[string]any{one, list}
}

// safeFold runs a folder on made-up arguments, which it may not expect.
func safeFold(f folder, tf map[string]any, byID map[string]*importer.Resource) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return f(tf, byID)
}

// argumentName is how Terraform arguments are spelled.
var argumentName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// argumentNames lists the snake_case strings of the package's code: a
// superset of the Terraform arguments translations and folders read.
func argumentNames(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && argumentName.MatchString(s) {
					seen[s] = true
				}
			}
			return true
		})
	}
	return slices.Sorted(maps.Keys(seen)), nil
}
