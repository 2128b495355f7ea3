package brainstorm

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/wardsec/ward/model"
)

// What both prompters show a person, as plain text.

// stepHeading names a step: its element, its category and where it stands.
func stepHeading(step *Step) string {
	return fmt.Sprintf("%s: %s (%d/%d)", step.Element.Label(), step.Stride.Name(), step.Index, step.Of)
}

// stepBody lists the threats already found in a step and the questions
// to think about, each line ending in a line ending.
func stepBody(step *Step) string {
	var b strings.Builder
	if len(step.Existing) == 0 {
		b.WriteString("Already found: none\n")
	} else {
		b.WriteString("Already found:\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, t := range step.Existing {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t.Severity, t.Status, t.ID, t.Title)
		}
		_ = tw.Flush() //nolint:errcheck // a strings.Builder does not fail
	}
	b.WriteString("Think like an attacker:\n")
	for _, q := range step.Questions {
		if q.Rule == "" {
			fmt.Fprintf(&b, "  - %s\n", q.Text)
		} else {
			fmt.Fprintf(&b, "  - %s [%s]\n", q.Text, q.Rule)
		}
	}
	return b.String()
}

// threatTable lists new threats, one per line: id, STRIDE letters, target
// and title.
func threatTable(threats []*model.Threat) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, t := range threats {
		strides := make([]string, len(t.Stride))
		for i, s := range t.Stride {
			strides[i] = s.Letter()
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t.ID, strings.Join(strides, ""), t.Target.ID, t.Title)
	}
	_ = tw.Flush() //nolint:errcheck // a strings.Builder does not fail
	return b.String()
}
