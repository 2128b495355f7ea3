package synth_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/synth"
)

func TestModelLoads(t *testing.T) {
	for _, n := range []int{1, 2, 10, 1000} {
		opt := synth.Options{Components: n, Seed: 7}
		path := filepath.Join(t.TempDir(), "synth.ward.yaml")
		var buf bytes.Buffer
		if err := synth.Model(&buf, opt); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := model.Load(path)
		if err != nil {
			t.Fatalf("%d components: %v", n, err)
		}
		if len(m.Components) != n {
			t.Errorf("%d components: loaded %d", n, len(m.Components))
		}
		if want := 3 * n; n > 3 && len(m.Flows) != want {
			t.Errorf("%d components: %d flows, want %d", n, len(m.Flows), want)
		}

		dir := t.TempDir()
		if err := synth.Dir(dir, opt); err != nil {
			t.Fatal(err)
		}
		md, err := model.Load(dir)
		if err != nil {
			t.Fatalf("%d components, directory: %v", n, err)
		}
		if len(md.Components) != len(m.Components) || len(md.Flows) != len(m.Flows) ||
			len(md.Zones) != len(m.Zones) || len(md.Assets) != len(m.Assets) ||
			len(md.Mitigations) != len(m.Mitigations) || len(md.Accepted) != len(m.Accepted) {
			t.Errorf("%d components: directory and single file differ", n)
		}
	}
}

func TestModelMix(t *testing.T) {
	var buf bytes.Buffer
	if err := synth.Model(&buf, synth.Options{Components: 1000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	m, err := model.ParseBytes("synth.ward.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[model.Kind]int{}
	for _, c := range m.Components {
		kinds[c.Kind]++
	}
	for _, k := range []model.Kind{"aws.api-gateway", "aws.lambda", "aws.rds", "aws.s3", "aws.sqs", "process", "datastore", "external-entity", "browser"} {
		if kinds[k] == 0 {
			t.Errorf("no component of kind %s", k)
		}
	}
	if len(m.Zones) < 10 || len(m.Mitigations) == 0 || len(m.Accepted) == 0 || len(m.Threats) == 0 {
		t.Errorf("zones %d, mitigations %d, accepted %d, threats %d: want some of each",
			len(m.Zones), len(m.Mitigations), len(m.Accepted), len(m.Threats))
	}
	deepest := 0
	for _, c := range m.Components {
		deepest = max(deepest, len(m.ZonePath(c.Zone.ID)))
	}
	if deepest != 4 {
		t.Errorf("deepest zone path %d, want 4 (internet, account, VPC, subnet)", deepest)
	}
}

func TestDeterministic(t *testing.T) {
	gen := func(seed uint64) []byte {
		var buf bytes.Buffer
		if err := synth.Model(&buf, synth.Options{Components: 500, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !bytes.Equal(gen(3), gen(3)) {
		t.Error("same seed, different models")
	}
	if bytes.Equal(gen(3), gen(4)) {
		t.Error("different seeds, same model")
	}

	read := func(dir string) map[string][]byte {
		files := map[string][]byte{}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = data
		}
		return files
	}
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := synth.Dir(d, synth.Options{Components: 500, Seed: 3}); err != nil {
			t.Fatal(err)
		}
	}
	fa, fb := read(a), read(b)
	if len(fa) != len(fb) || len(fa) < 2 {
		t.Fatalf("%d and %d files", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between runs", name)
		}
	}
}

func TestBadOptions(t *testing.T) {
	var buf bytes.Buffer
	if err := synth.Model(&buf, synth.Options{}); err == nil {
		t.Error("no components: want an error")
	}
	if err := synth.Model(&buf, synth.Options{Components: 5, FlowsPerComponent: -1}); err == nil {
		t.Error("negative flows: want an error")
	}
}
