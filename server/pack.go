package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// PackModel reads the model at path (a file or a directory) with the files
// it imports, checks it loads, and packs those files as an upload: a
// gzipped tar rooted at their common directory, and the model's path
// inside it. `ward push` sends what it returns.
func PackModel(path string) (archive []byte, root string, err error) {
	m, err := model.Load(path)
	if err != nil {
		return nil, "", err
	}
	abs := make([]string, 0, len(m.Files))
	for _, f := range m.Files {
		a, err := filepath.Abs(f)
		if err != nil {
			return nil, "", err
		}
		abs = append(abs, a)
	}
	base := filepath.Dir(abs[0])
	for _, a := range abs[1:] {
		for !strings.HasPrefix(a, base+string(filepath.Separator)) && base != filepath.Dir(base) {
			base = filepath.Dir(base)
		}
	}
	fs := files{}
	for _, a := range abs {
		rel, err := filepath.Rel(base, a)
		if err != nil {
			return nil, "", err
		}
		data, err := os.ReadFile(a)
		if err != nil {
			return nil, "", err
		}
		fs[filepath.ToSlash(rel)] = data
	}
	p, err := filepath.Abs(path)
	if err != nil {
		return nil, "", err
	}
	rel, err := filepath.Rel(base, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, "", fmt.Errorf("%s: cannot place the model among its files", path)
	}
	archive, err = fs.pack()
	return archive, filepath.ToSlash(rel), err
}

// SeedDemo prepares an empty server for a first look: a site administrator
// with a random password and a project "demo" holding the model at path.
// It does nothing (created false) when the server already has accounts.
func (s *Server) SeedDemo(ctx context.Context, path string) (email, password string, created bool, err error) {
	users, err := s.store.Users(ctx)
	if err != nil || len(users) > 0 {
		return "", "", false, err
	}
	archive, root, err := PackModel(path)
	if err != nil {
		return "", "", false, err
	}
	secret, _, err := auth.NewToken("")
	if err != nil {
		return "", "", false, err
	}
	email, password = "admin@ward.localhost", secret[:20]
	u, err := s.CreateUser(ctx, "ward serve --demo", NewUser{Email: email, Name: "Demo admin", Password: password, SiteAdmin: true})
	if err != nil {
		return "", "", false, err
	}
	p, err := s.store.CreateProject(ctx, "user:"+email, store.Project{Slug: "demo", Name: "Demo: " + filepath.Base(path)}, u.ID)
	if err != nil {
		return "", "", false, err
	}
	if _, _, err := s.upload(ctx, &caller{user: &u}, p, archive, "", root, "demo"); err != nil {
		return "", "", false, err
	}
	return email, password, true, nil
}
