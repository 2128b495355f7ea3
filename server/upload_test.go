package server

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

type entry struct {
	name string
	body string
	typ  byte
}

func mkTar(t testing.TB, entries ...entry) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: typ}
		if typ != tar.TypeReg {
			h.Size, h.Linkname = 0, "/etc/passwd"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func mkZip(t testing.TB, entries ...entry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	zw.Close()
	return buf.Bytes()
}

func TestUnpack(t *testing.T) {
	small := DefaultLimits
	small.MaxFiles, small.MaxUnpacked = 3, 1000
	tests := []struct {
		name    string
		body    []byte
		want    []string // file names
		err     error
		message string
	}{
		{name: "single file", body: []byte("title: x\n"), want: []string{"model.ward.yaml"}},
		{name: "tar", body: mkTar(t, entry{name: "./a.ward.yaml", body: "x"}, entry{name: "dir/", typ: tar.TypeDir}, entry{name: "dir/b.ward.yaml", body: "y"}), want: []string{"a.ward.yaml", "dir/b.ward.yaml"}},
		{name: "zip", body: mkZip(t, entry{name: "m/a.ward.yaml", body: "x"}), want: []string{"m/a.ward.yaml"}},
		{name: "tar escapes", body: mkTar(t, entry{name: "../../etc/cron.d/x", body: "x"}), err: errUpload, message: "stay inside the archive"},
		{name: "zip escapes", body: mkZip(t, entry{name: "../x.ward.yaml", body: "x"}), err: errUpload, message: "stay inside the archive"},
		{name: "absolute", body: mkTar(t, entry{name: "/etc/passwd", body: "x"}), err: errUpload, message: "relative"},
		{name: "symlink", body: mkTar(t, entry{name: "link", typ: tar.TypeSymlink}), err: errUpload, message: "no links"},
		{name: "hard link", body: mkTar(t, entry{name: "link", typ: tar.TypeLink}), err: errUpload, message: "no links"},
		{name: "duplicate", body: mkTar(t, entry{name: "a", body: "1"}, entry{name: "./a", body: "2"}), err: errUpload, message: "twice"},
		{name: "too many files", body: mkTar(t, entry{name: "a", body: "1"}, entry{name: "b"}, entry{name: "c"}, entry{name: "d"}), err: errTooLarge, message: "more than 3 files"},
		{name: "bomb", body: mkTar(t, entry{name: "a", body: strings.Repeat("0", 600)}, entry{name: "b", body: strings.Repeat("0", 600)}), err: errTooLarge, message: "more than 1000 bytes"},
		{name: "broken gzip", body: []byte{0x1f, 0x8b, 1, 2, 3}, err: errUpload, message: "gzip"},
		{name: "broken zip", body: []byte("PK\x03\x04garbage"), err: errUpload, message: "zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := unpack(tt.body, "", small)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.message) {
					t.Fatalf("err = %v, want %v containing %q", err, tt.err, tt.message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != len(tt.want) {
				t.Fatalf("files = %v, want %v", fs, tt.want)
			}
			for _, n := range tt.want {
				if _, ok := fs[n]; !ok {
					t.Errorf("missing %s in %v", n, fs)
				}
			}
		})
	}
}

func TestPackRoundTrip(t *testing.T) {
	fs := files{"b/x.ward.yaml": []byte("b"), "a.ward.yaml": []byte("a")}
	one, err := fs.pack()
	if err != nil {
		t.Fatal(err)
	}
	two, _ := fs.pack()
	if !bytes.Equal(one, two) {
		t.Error("packing the same files twice gives different bytes")
	}
	back, err := unpack(one, "", DefaultLimits)
	if err != nil || len(back) != 2 || string(back["b/x.ward.yaml"]) != "b" {
		t.Fatalf("unpacked %v, %v", back, err)
	}
}

func TestRootOf(t *testing.T) {
	tests := []struct {
		fs         files
		root, want string
		err        bool
	}{
		{files{"a.ward.yaml": nil, "lib/b.ward.yaml": nil}, "", ".", false},
		{files{"shop/a.ward.yaml": nil}, "", "shop", false},
		{files{"x/a.ward.yaml": nil, "y/b.ward.yaml": nil}, "", "", true},
		{files{"x/a.ward.yaml": nil, "y/b.ward.yaml": nil}, "y", "y", false},
		{files{"x/a.ward.yaml": nil}, "z", "", true},
		{files{"x/a.ward.yaml": nil}, "../etc", "", true},
		{files{"a.ward.yaml": nil}, ".", ".", false},
	}
	for _, tt := range tests {
		got, err := tt.fs.rootOf(tt.root)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("rootOf(%v, %q) = %q, %v", tt.fs, tt.root, got, err)
		}
	}
}

// FuzzUnpack: no upload, however malformed, may panic the server or yield a
// path outside the archive. Seeds are in testdata/fuzz/FuzzUnpack.
func FuzzUnpack(f *testing.F) {
	f.Add(mkTar(f, entry{name: "a.ward.yaml", body: "title: a\n"}))
	f.Add(mkZip(f, entry{name: "d/a.ward.yaml", body: "title: a\n"}))
	f.Add([]byte("title: a\n"))
	lim := DefaultLimits
	lim.MaxUnpacked, lim.MaxFiles = 1<<20, 50
	f.Fuzz(func(t *testing.T, body []byte) {
		fs, err := unpack(body, "", lim)
		if err != nil {
			return
		}
		for n := range fs {
			if c, err := cleanPath(n); err != nil || c != n {
				t.Fatalf("unsafe path %q came through", n)
			}
		}
	})
}
