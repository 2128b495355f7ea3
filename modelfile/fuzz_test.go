package modelfile_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
)

// emptyValue is what adding to an empty top-level list takes out of the
// original text: the value ("[]", "~", "null") and the spaces before it.
var emptyValue = regexp.MustCompile(`^ *(\[ *\]|~|null|Null|NULL)`)

// kept reports whether out is data with text inserted in one place, after
// taking out an empty value where they first differ.
func kept(data, out []byte) bool {
	p := prefix(data, out)
	for p > 0 && data[p-1] == ' ' {
		p--
	}
	if loc := emptyValue.FindIndex(data[p:]); loc != nil {
		data = append(data[:p:p], data[p+loc[1]:]...)
	}
	p = prefix(data, out)
	return p+suffix(data[p:], out[p:]) == len(data)
}

// keptButOneValue reports whether out is data with one value on one line
// replaced, or with text inserted in one place.
func keptButOneValue(data, out []byte) bool {
	p := prefix(data, out)
	s := suffix(data[p:], out[p:])
	return !bytes.Contains(data[p:len(data)-s], []byte("\n")) && (!bytes.Contains(out[p:len(out)-s], []byte("\n")) || p+s == len(data))
}

func prefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func suffix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// FuzzInsert checks that, for any model file Ward accepts to edit, adding
// a mitigation, an accepted risk or hand-written threats and updating a
// mitigation either refuses and leaves the text alone, or gives a text that decodes without
// a problem, holds the change, and keeps every original byte outside the
// change. Seeds are in testdata/fuzz/FuzzInsert.
func FuzzInsert(f *testing.F) {
	f.Add([]byte("title: t\nmitigations:\n  - {id: a, title: A, kind: fix, status: planned, threats: [r@x]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		before, diags := model.Parse("fuzz.ward.yaml", data, model.DefaultLimits)
		if before == nil || len(diags) > 0 {
			return
		}
		m := modelfile.Mitigation{ID: "fuzz-added", Title: "Added, by: the fuzzer", Kind: model.Fix, Status: model.Planned, Threats: []string{"rule@fuzz"}}
		edit(t, data, "add", kept, func(f *modelfile.File) error { _, err := f.AddMitigation(m); return err },
			func(after *model.Model) bool {
				return len(after.Mitigations) == len(before.Mitigations)+1 && after.Mitigations[len(after.Mitigations)-1].ID == m.ID
			})
		a := modelfile.Acceptance{Threat: "rule@fuzz", Owner: "fuzz", Reason: "# not a comment", Until: day("2030-01-01")}
		edit(t, data, "accept", kept, func(f *modelfile.File) error { _, err := f.AddAcceptance(a); return err },
			func(after *model.Model) bool {
				return len(after.Accepted) == len(before.Accepted)+1 && after.Accepted[len(after.Accepted)-1].Reason == a.Reason
			})
		ts := []*model.Threat{
			{ID: "fuzz-threat", Title: "Fuzzed: 'quotes' # and hashes", Target: model.Ref{ID: "api"}, Stride: []model.Stride{model.Spoofing}, Scenario: "two\nlines"},
			{ID: "fuzz-threat-2", Title: "- dash, [bracket]", Target: model.Ref{ID: "api"}, Stride: []model.Stride{model.Tampering}, Requirements: []string{"&not-an-anchor"}},
		}
		edit(t, data, "threats", kept, func(f *modelfile.File) error { _, err := f.AddThreats(ts); return err },
			func(after *model.Model) bool {
				n := len(after.Threats)
				return n == len(before.Threats)+2 && after.Threats[n-2].Title == ts[0].Title && after.Threats[n-2].Scenario == ts[0].Scenario &&
					after.Threats[n-1].ID == ts[1].ID && after.Threats[n-1].Requirements[0] == ts[1].Requirements[0]
			})
		if len(before.Mitigations) == 0 {
			return
		}
		id := before.Mitigations[0].ID
		edit(t, data, "update", keptButOneValue, func(f *modelfile.File) error {
			_, err := f.UpdateMitigation(id, modelfile.MitigationUpdate{Status: model.Verified})
			return err
		}, func(after *model.Model) bool {
			for _, mi := range after.Mitigations {
				if mi.ID == id {
					return mi.Status == model.Verified
				}
			}
			return false
		})
	})
}

// edit runs one change on data and checks the property FuzzInsert states.
func edit(t *testing.T, data []byte, what string, keeps func(data, out []byte) bool, change func(*modelfile.File) error, done func(*model.Model) bool) {
	t.Helper()
	f, err := modelfile.New("fuzz.ward.yaml", data)
	if err != nil {
		return
	}
	if err := change(f); err != nil {
		if f.Changed() {
			t.Fatalf("%s: refused (%v) but changed the text", what, err)
		}
		return
	}
	out := f.Bytes()
	after, diags := model.Parse("fuzz.ward.yaml", out, model.DefaultLimits)
	if after == nil || len(diags) > 0 {
		t.Fatalf("%s: the result does not decode: %v\n%s", what, diags, out)
	}
	if !done(after) {
		t.Fatalf("%s: the result lacks the change:\n%s", what, out)
	}
	if !f.Changed() {
		return
	}
	if !keeps(data, out) {
		t.Fatalf("%s: original bytes lost or moved:\n%s", what, out)
	}
}
