package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/modelfile"
)

type acceptFlags struct {
	editFlags
	owner, until string
}

func newAccept() *cobra.Command {
	var f acceptFlags
	cmd := &cobra.Command{
		Use:   "accept PATH THREAT-ID REASON",
		Short: "Record an accepted risk in the model file",
		Long: `Accept writes into the model file, in place, that an owner accepts the risk
of a threat (as printed by ward analyze) until a date: the threat counts as
resolved until then, and as unresolved again after it. Comments, key order
and formatting stay as they were; only the new lines differ.

When the model already accepts the threat, its owner, reason and date are
renewed in place instead. In a directory model a new acceptance goes to the
file that holds the threat's element, if that file has accepted risks, else
to the first file that has some.

Before writing, Ward checks the whole model as it will be and refuses a
change that would break it. The file is replaced atomically, and not at all
if it changed while Ward was working.`,
		Example: `  ward accept examples/ecommerce password-brute-force@order-api \
      "Login is behind the corporate VPN" --owner cto@acme.example --until 2027-06-30`,
		Args: exactArgs("PATH", "THREAT-ID", "REASON"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return accept(cmd, args, f)
		},
	}
	cmd.Flags().StringVar(&f.owner, "owner", "", "who accepts the risk (`NAME`); required")
	cmd.Flags().StringVar(&f.until, "until", "", "`DATE` the acceptance ends (YYYY-MM-DD); required")
	f.register(cmd)
	return cmd
}

func accept(cmd *cobra.Command, args []string, f acceptFlags) error {
	a := modelfile.Acceptance{Owner: strings.TrimSpace(f.owner), Reason: strings.TrimSpace(args[2])}
	switch {
	case a.Owner == "":
		return usagef("--owner is required: who accepts the risk")
	case f.until == "":
		return usagef("--until is required: the date the acceptance ends (YYYY-MM-DD)")
	case a.Reason == "":
		return usagef("REASON is empty: say why the risk is acceptable")
	}
	until, err := parseDate("until", f.until)
	if err != nil {
		return err
	}
	a.Until = until
	e, err := loadForEdit(cmd, args[0], f.editFlags)
	if err != nil {
		return err
	}
	if until.Before(e.now.UTC().Truncate(24 * time.Hour)) {
		return usagef("--until %s is in the past: an acceptance must last until today or later", until)
	}
	threat, err := e.threat(args[1])
	if err != nil {
		return err
	}
	a.Threat = threat.ID
	var mf *modelfile.File
	var line int
	var done string
	if old := threat.Acceptance; old != nil {
		if mf, err = modelfile.Read(old.Pos.File); err != nil {
			return err
		}
		line, err = mf.UpdateAcceptance(a)
		done = "renewed the acceptance of %s until %s in %s:%d"
	} else {
		var holding []string
		for _, acc := range e.res.Model.Accepted {
			holding = append(holding, acc.Pos.File)
		}
		if mf, err = modelfile.Read(e.fileFor(threat, holding)); err != nil {
			return err
		}
		line, err = mf.AddAcceptance(a)
		done = "accepted %s until %s in %s:%d"
	}
	if err != nil {
		return err
	}
	res, err := e.check(mf)
	if err != nil {
		return err
	}
	if err := accepted(res, a); err != nil {
		return err
	}
	return e.finish(cmd, mf, fmt.Sprintf(done, a.Threat, a.Until, mf.Path, line))
}

// accepted checks, in the analysis of the changed model, that the threat
// is accepted as asked: the proof the edit did what was meant.
func accepted(res *engine.Result, a modelfile.Acceptance) error {
	for _, t := range res.Threats {
		if t.ID == a.Threat && t.Acceptance != nil && t.Acceptance.Until.String() == a.Until.String() && t.Acceptance.Owner == a.Owner {
			return nil
		}
	}
	return fmt.Errorf("after the change threat %s would not be accepted until %s; nothing was written", a.Threat, a.Until)
}
