package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestFindBinDirPicksNewestComplete(t *testing.T) {
	root := t.TempDir()
	for _, file := range []string{
		"9.6/bin/initdb", "9.6/bin/postgres",
		"15/bin/initdb", "15/bin/postgres",
		"17/bin/initdb", "17/bin/postgres",
		"18/bin/initdb", // no server: a half-installed version
	} {
		path := filepath.Join(root, file)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got, err := findBinDir(filepath.Join(root, "*", "bin"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "17", "bin"); got != want {
		t.Errorf("picked %s, want %s", got, want)
	}
}

func TestFindBinDirNamesTheFix(t *testing.T) {
	_, err := findBinDir(filepath.Join(t.TempDir(), "*", "bin"))
	if !errors.Is(err, errNotInstalled) || !strings.Contains(err.Error(), "make deps") {
		t.Errorf("got %v, want an error telling to run make deps", err)
	}
}

func TestCanReach(t *testing.T) {
	stranger := owner{cred: &syscall.Credential{Uid: 54321, Gid: 54321}}
	closed := t.TempDir() // 0700: only its creator may enter
	open := filepath.Join(closed, "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if stranger.canReach(open) {
		t.Errorf("another user can reach %s below a 0700 folder", open)
	}
	// t.TempDir nests two private folders; open both.
	for _, dir := range []string{closed, filepath.Dir(closed)} {
		if err := os.Chmod(dir, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	if !stranger.canReach(open) {
		t.Errorf("another user cannot reach %s once its parent is searchable", open)
	}
	if !(owner{}).canReach(open) {
		t.Errorf("the current user cannot reach its own folder %s", open)
	}
}

func TestStopEndsServerAndRemovesFiles(t *testing.T) {
	c, err := startCluster()
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		info, err := os.Stat(filepath.Join(c.dir, "data"))
		if err != nil {
			t.Fatal(err)
		}
		if uid := info.Sys().(*syscall.Stat_t).Uid; uid == 0 {
			t.Errorf("data folder owned by root; the server must run as %s", serverUser)
		}
	}
	if err := c.stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	default:
		t.Error("server still running after stop")
	}
	if _, err := os.Stat(c.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cluster folder %s still there after stop: %v", c.dir, err)
	}
}
