package pgtest

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// serverUser is the system account Debian's package creates; the server runs
// as it when the tests run as root, because initdb and postgres refuse root.
const serverUser = "postgres"

// owner is the account the cluster runs as: nil credential means the current
// user.
type owner struct {
	cred *syscall.Credential
}

func clusterOwner() (owner, error) {
	if os.Geteuid() != 0 {
		return owner{}, nil
	}
	u, err := user.Lookup(serverUser)
	if err != nil {
		return owner{}, fmt.Errorf("running as root, so the cluster must run as the %q user: %w; run `make deps` to install PostgreSQL, which creates it", serverUser, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return owner{}, fmt.Errorf("user %s: uid %q: %w", serverUser, u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return owner{}, fmt.Errorf("user %s: gid %q: %w", serverUser, u.Gid, err)
	}
	// An empty Groups list drops root's supplementary groups.
	return owner{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}, nil
}

// attrs returns the process attributes for a server program: run as the
// owner, and die with the test binary even when it is killed, so no cluster
// outlives its tests.
func (o owner) attrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: o.cred, Pdeathsig: syscall.SIGQUIT}
}

// give hands dir to the owner so the server can write its data, socket and
// lock files there.
func (o owner) give(dir string) error {
	if o.cred == nil {
		return nil
	}
	if err := os.Chown(dir, int(o.cred.Uid), int(o.cred.Gid)); err != nil {
		return fmt.Errorf("give %s to %s: %w", dir, serverUser, err)
	}
	return nil
}

// canReach reports whether the owner can walk down to dir: every folder above
// it must let others search it, unless the owner owns it.
func (o owner) canReach(dir string) bool {
	if o.cred == nil {
		return true
	}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil {
			return false
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		searchable := info.Mode().Perm()&0o001 != 0 ||
			ok && st.Uid == o.cred.Uid && info.Mode().Perm()&0o100 != 0 ||
			ok && st.Gid == o.cred.Gid && info.Mode().Perm()&0o010 != 0
		if !searchable {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}
