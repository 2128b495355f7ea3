package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
)

type mitigateFlags struct {
	editFlags
	id, kind, status, ticket, owner, due, description string
}

func newMitigate() *cobra.Command {
	var f mitigateFlags
	cmd := &cobra.Command{
		Use:   "mitigate PATH [THREAT-ID] [TITLE]",
		Short: "Record a mitigation in the model file, or update one",
		Long: `Mitigate writes a mitigation for a threat into the model file, in place:
comments, key order and formatting stay as they were, and only the new lines
(or the changed values) differ.

With a THREAT-ID (as printed by ward analyze) and a TITLE, it adds a new
mitigation answering that threat. Its id is --id, or one made from the
threat id. --kind and --status are required. In a directory model it goes
to the file that holds the threat's element, if that file has mitigations,
else to the first file that has some.

With --id naming an existing mitigation, it updates that one instead: its
status, kind, ticket, owner or due date, and adds THREAT-ID to the threats
it answers. Each changed value's text is replaced alone.

Before writing, Ward checks the whole model as it will be and refuses a
change that would break it. The file is replaced atomically, and not at all
if it changed while Ward was working.`,
		Example: `  ward mitigate examples/ecommerce queue-message-tampering@fulfillment-queue \
      "Sign each order before it is queued" --kind fix --status planned \
      --ticket https://tracker.example/SEC-1 --due 2027-03-31
  ward mitigate examples/ecommerce --id shield-waf --status verified
  ward mitigate examples/ecommerce aws-api-gateway-no-stage-throttling@order-api --id shield-waf --dry-run`,
		Args: rangeArgs(1, 3, "PATH [THREAT-ID] [TITLE]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return mitigate(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.id, "id", "", "the mitigation's `ID`: an existing one to update, or the new one's (default: made from THREAT-ID)")
	fl.StringVar(&f.kind, "kind", "", "`KIND` of countermeasure: fix, workaround or monitoring")
	fl.StringVar(&f.status, "status", "", "`STATUS`: proposed, planned, implemented or verified")
	fl.StringVar(&f.ticket, "ticket", "", "the backlog item, usually a `URL`")
	fl.StringVar(&f.owner, "owner", "", "who owns the mitigation (`NAME`)")
	fl.StringVar(&f.due, "due", "", "due `DATE` (YYYY-MM-DD)")
	fl.StringVar(&f.description, "description", "", "longer `TEXT` explaining the mitigation")
	f.register(cmd)
	return cmd
}

func mitigate(cmd *cobra.Command, args []string, f mitigateFlags) error {
	kind, err := parseEnum("kind", f.kind, model.MitigationKinds)
	if err != nil {
		return err
	}
	status, err := parseEnum("status", f.status, model.MitigationStatuses)
	if err != nil {
		return err
	}
	due, err := parseDate("due", f.due)
	if err != nil {
		return err
	}
	e, err := loadForEdit(cmd, args[0], f.editFlags)
	if err != nil {
		return err
	}
	var threat *engine.Threat
	if len(args) > 1 {
		if threat, err = e.threat(args[1]); err != nil {
			return err
		}
	}
	if f.id != "" {
		if i := slices.IndexFunc(e.res.Model.Mitigations, func(m *model.Mitigation) bool { return m.ID == f.id }); i >= 0 {
			if len(args) == 3 {
				return usagef("mitigation %s exists: leave out TITLE to update it (Ward does not rewrite titles), or give a new --id", f.id)
			}
			u := modelfile.MitigationUpdate{Kind: kind, Status: status, Ticket: f.ticket, Owner: f.owner, Due: due}
			if threat != nil {
				u.Threat = threat.ID
			}
			return updateMitigation(cmd, e, e.res.Model.Mitigations[i], u, f.description)
		}
	}
	switch {
	case len(args) < 3:
		return usagef("a new mitigation needs PATH THREAT-ID TITLE (or --id naming an existing mitigation to update)")
	case kind == "":
		return usagef("--kind is required for a new mitigation: fix, workaround or monitoring")
	case status == "":
		return usagef("--status is required for a new mitigation: proposed, planned, implemented or verified")
	case strings.TrimSpace(args[2]) == "":
		return usagef("TITLE is empty: say in a few words what the mitigation does")
	}
	m := modelfile.Mitigation{
		ID: f.id, Title: strings.TrimSpace(args[2]), Description: strings.TrimSpace(f.description),
		Kind: kind, Status: status, Ticket: f.ticket, Owner: f.owner, Due: due,
		Threats: []string{threat.ID},
	}
	if m.ID == "" {
		m.ID = newMitigationID(threat.ID, e.res.Model)
	}
	return addMitigation(cmd, e, threat, m)
}

func addMitigation(cmd *cobra.Command, e *modelEdit, threat *engine.Threat, m modelfile.Mitigation) error {
	var holding []string
	for _, mi := range e.res.Model.Mitigations {
		holding = append(holding, mi.Pos.File)
	}
	mf, err := modelfile.Read(e.fileFor(threat, holding))
	if err != nil {
		return err
	}
	line, err := mf.AddMitigation(m)
	if err != nil {
		return err
	}
	res, err := e.check(mf)
	if err != nil {
		return err
	}
	if err := answered(res, threat.ID, m.ID); err != nil {
		return err
	}
	for _, old := range threat.Mitigations {
		if old.FromModel {
			fmt.Fprintf(cmd.ErrOrStderr(), "note: %s was already answered by mitigation %s (%s)\n", threat.ID, old.ID, old.Status)
		}
	}
	return e.finish(cmd, mf, fmt.Sprintf("added mitigation %s to %s:%d", m.ID, mf.Path, line))
}

func updateMitigation(cmd *cobra.Command, e *modelEdit, old *model.Mitigation, u modelfile.MitigationUpdate, description string) error {
	if description != "" {
		return usagef("--description: Ward does not rewrite an existing mitigation's description; edit it in %s", old.Pos)
	}
	var what []string
	add := func(cond bool, s string, args ...any) {
		if cond {
			what = append(what, fmt.Sprintf(s, args...))
		}
	}
	add(u.Status != "" && u.Status != old.Status, "status %s", u.Status)
	add(u.Kind != "" && u.Kind != old.Kind, "kind %s", u.Kind)
	add(u.Ticket != "" && u.Ticket != old.Ticket, "ticket %s", u.Ticket)
	add(u.Owner != "" && u.Owner != old.Owner, "owner %s", u.Owner)
	add(!u.Due.IsZero() && u.Due.String() != old.Due.String(), "due %s", u.Due)
	add(u.Threat != "" && !slices.ContainsFunc(old.Threats, func(r model.Ref) bool { return r.ID == u.Threat }), "answers %s", u.Threat)
	if len(what) == 0 {
		return usagef("nothing to change in mitigation %s: give --status, --kind, --ticket, --owner, --due or a THREAT-ID it does not list yet", old.ID)
	}
	mf, err := modelfile.Read(old.Pos.File)
	if err != nil {
		return err
	}
	line, err := mf.UpdateMitigation(old.ID, u)
	if err != nil {
		return err
	}
	res, err := e.check(mf)
	if err != nil {
		return err
	}
	if u.Threat != "" {
		if err := answered(res, u.Threat, old.ID); err != nil {
			return err
		}
	}
	return e.finish(cmd, mf, fmt.Sprintf("updated mitigation %s in %s:%d: %s", old.ID, mf.Path, line, strings.Join(what, ", ")))
}

// answered checks, in the analysis of the changed model, that the
// mitigation answers the threat: the proof the edit did what was asked.
func answered(res *engine.Result, threatID, mitigationID string) error {
	for _, t := range res.Threats {
		if t.ID != threatID {
			continue
		}
		for _, m := range t.Mitigations {
			if m.FromModel && m.ID == mitigationID {
				return nil
			}
		}
	}
	return fmt.Errorf("after the change mitigation %s would not answer threat %s; nothing was written", mitigationID, threatID)
}

// newMitigationID makes an id from a threat id ("rule@target" gives
// "rule-target"), numbered when the model already uses it.
func newMitigationID(threat string, m *model.Model) string {
	base := strings.ReplaceAll(threat, model.ThreatIDSeparator, "-")
	taken := map[string]bool{}
	for _, mi := range m.Mitigations {
		taken[mi.ID] = true
	}
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}
