package model_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wardsec/ward/model"
)

func TestChainedExample(t *testing.T) {
	m, err := model.Load("../examples/chained/payments")
	if err != nil {
		t.Fatal(err)
	}
	// The platform is imported twice (directly, and through the
	// storefront) under two alias paths, but read once, under the
	// shorter.
	var platform []string
	for _, c := range m.Components {
		if c.Origin == "platform" {
			platform = append(platform, c.ID)
		}
		if strings.HasPrefix(c.ID, "shop.platform.") {
			t.Errorf("platform component %s read a second time through the storefront", c.ID)
		}
	}
	if strings.Join(platform, ",") != "platform.identity,platform.audit-log" {
		t.Errorf("platform components = %v", platform)
	}
	// References through either alias path land on the same component.
	f := m.Flow("payments-to-shop.platform.audit-log")
	if f == nil || f.To.ID != "platform.audit-log" {
		t.Fatalf("cross-model flow: %+v", f)
	}
	if c := m.Component("shop.cart"); c == nil || c.Origin != "shop" || c.Zone.ID != "platform.vpc" {
		t.Errorf("shop.cart = %+v", c)
	}
	if !strings.HasSuffix(m.Component("shop.cart").Pos.File, filepath.Join("storefront", "components.ward.yaml")) {
		t.Errorf("imported component keeps its own file: got %s", m.Component("shop.cart").Pos)
	}
	// In scope: own elements and the imported components the model uses.
	for id, want := range map[string]bool{
		"payments": true, "shop.cart": true, "platform.audit-log": true,
		"shop.catalog": false, "platform.identity": false, "shop.api-to-shop.cart": false,
		"shop.cart-to-payments": true,
	} {
		if got := m.InScope(id); got != want {
			t.Errorf("InScope(%s) = %v, want %v", id, got, want)
		}
	}
	// Only the root's header and features count.
	if m.Title != "Acme payments" || len(m.Features) != 1 {
		t.Errorf("header or features leaked from imports: %q, %d features", m.Title, len(m.Features))
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "cycle",
			files: map[string]string{
				"a.ward.yaml": "title: a\nimports: [{as: b, path: b.ward.yaml}]\n",
				"b.ward.yaml": "title: b\nimports: [{as: a, path: a.ward.yaml}]\n",
			},
			want: []string{"b.ward.yaml:2:12: import cycle: ", "a.ward.yaml → ", "b.ward.yaml → ", "a.ward.yaml"},
		},
		{
			name:  "missing file",
			files: map[string]string{"a.ward.yaml": "title: a\nimports:\n  - as: net\n    path: ../network\n"},
			want:  []string{`a.ward.yaml:3:5: cannot import "../network": `, "no such file or directory"},
		},
		{
			name: "bad and duplicate aliases",
			files: map[string]string{
				"a.ward.yaml": "title: a\nimports:\n  - {as: x.y, path: b.ward.yaml}\n  - {as: b, path: b.ward.yaml}\n  - {as: b, path: b.ward.yaml}\n",
				"b.ward.yaml": "title: b\n",
			},
			want: []string{`a.ward.yaml:3:6: import alias "x.y" must start with a letter`, `a.ward.yaml:5:6: import alias "b" is already used`},
		},
		{
			name: "unknown imported component",
			files: map[string]string{
				"a.ward.yaml": "title: a\nimports: [{as: b, path: b.ward.yaml}]\ncomponents: [{id: api, kind: process}]\nflows: [{from: api, to: b.dbx}]\n",
				"b.ward.yaml": "title: b\ncomponents: [{id: db, kind: datastore}]\n",
			},
			want: []string{`a.ward.yaml:4:25: unknown component "b.dbx"`},
		},
		{
			name: "problem inside the imported model",
			files: map[string]string{
				"a.ward.yaml": "title: a\nimports: [{as: b, path: b.ward.yaml}]\n",
				"b.ward.yaml": "title: b\ncomponents: [{id: db, kind: datastor}]\n",
			},
			want: []string{`b.ward.yaml:2:29: unknown component kind "datastor"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "m")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, src := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := model.Load(filepath.Join(dir, "a.ward.yaml"))
			if !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("got %v, want an ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestImportsNeedFiles(t *testing.T) {
	_, err := model.ParseBytes("m.ward.yaml", []byte("title: t\nimports: [{as: p, path: p}]\n"))
	if err == nil || !strings.Contains(err.Error(), "m.ward.yaml:2:12: imports are followed only when the model is loaded from its files") {
		t.Errorf("got %v", err)
	}
}

// An upload's model must not import the host's files: with Limits.Root set,
// an import outside it, directly or through a symbolic link, is refused.
func TestImportsConfinedToRoot(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.ward.yaml"), []byte("title: secret\n"), 0o644)
	root := t.TempDir()
	os.Symlink(outside, filepath.Join(root, "link"))
	os.MkdirAll(filepath.Join(root, "shared"), 0o755)
	os.WriteFile(filepath.Join(root, "shared", "net.ward.yaml"), []byte("title: net\n"), 0o644)
	for path, want := range map[string]string{
		filepath.Join(outside, "secret.ward.yaml"): "lies outside the model's files",
		"../" + filepath.Base(outside):             "lies outside the model's files",
		"link/secret.ward.yaml":                    "lies outside the model's files",
		"shared":                                   "",
	} {
		file := filepath.Join(root, "main.ward.yaml")
		os.WriteFile(file, []byte("title: main\nimports: [{as: x, path: "+strconv.Quote(path)+"}]\n"), 0o644)
		lim := model.DefaultLimits
		lim.Root = root
		_, err := model.LoadWith(file, lim)
		switch {
		case want == "" && err != nil:
			t.Errorf("import %s inside the root: %v", path, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("import %s: err = %v, want %q", path, err, want)
		}
	}
}
