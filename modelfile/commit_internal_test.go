package modelfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/model"
)

const committed = "title: t   # keep me\nmitigations: []\n"

var audit = Mitigation{ID: "audit", Title: "Audit log", Kind: model.Monitoring, Status: model.Proposed, Threats: []string{"tamper@queue"}}

// TestCommitRefusesWhenFileChanged edits the file underneath Ward between
// its read and its write: Ward must write nothing, keep the other
// writer's text, and leave no temporary file behind.
func TestCommitRefusesWhenFileChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.ward.yaml")
	if err := os.WriteFile(path, []byte(committed), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddMitigation(audit); err != nil {
		t.Fatal(err)
	}
	theirs := committed + "authors: [someone else]\n"
	beforeCheck = func() {
		if err := os.WriteFile(path, []byte(theirs), 0o600); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() { beforeCheck = nil })

	err = f.Commit()
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("Commit: %v, want ErrChanged", err)
	}
	want := path + " changed while Ward was editing it; nothing was written; run the command again"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != theirs {
		t.Errorf("the other writer's text was lost:\n%s", got)
	}
	assertOnlyFile(t, dir, "m.ward.yaml")
}

func TestCommitRefusesWhenFileRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.ward.yaml")
	if err := os.WriteFile(path, []byte(committed), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddMitigation(audit); err != nil {
		t.Fatal(err)
	}
	beforeCheck = func() {
		if err := os.Remove(path); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() { beforeCheck = nil })
	if err := f.Commit(); !errors.Is(err, ErrChanged) {
		t.Fatalf("Commit: %v, want ErrChanged", err)
	}
	assertOnlyFile(t, dir)
}

// TestCommitThroughSymlink keeps the link a link and writes its target,
// with the target's permission bits.
func TestCommitThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.ward.yaml")
	link := filepath.Join(dir, "link.ward.yaml")
	if err := os.WriteFile(target, []byte(committed), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.ward.yaml", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	f, err := Read(link)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddMitigation(audit); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced by a file: %v %v", st.Mode(), err)
	}
	got, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "title: t   # keep me\nmitigations:\n  - id: audit\n") {
		t.Errorf("target not edited:\n%s", got)
	}
	if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("permissions %v, want -rw-r-----", st.Mode())
	}
	// A second edit after a commit compares with what was written.
	if _, err := f.UpdateMitigation("audit", MitigationUpdate{Status: model.Planned}); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatalf("second commit: %v", err)
	}
	assertOnlyFile(t, dir, "link.ward.yaml", "real.ward.yaml")
}

func assertOnlyFile(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("directory holds %q, want %q", got, names)
	}
}
