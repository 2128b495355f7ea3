package gate_test

import (
	"errors"
	"testing"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/gate"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Two features: the login API is open to brute force (a medium threat);
// the report job is not. A third component belongs to no feature.
const twoFeatures = `title: shop
components:
  - id: login
    kind: aws.api-gateway
    properties: {public: true, authentication: password, logging: true, waf: true}
  - id: reports
    kind: process
  - id: legacy
    kind: aws.api-gateway
    properties: {public: true, authentication: password, logging: true, waf: true}
features:
  - {id: sign-in, components: [login]}
  - {id: reporting, components: [reports]}
`

func analyze(t *testing.T, src string) *engine.Result {
	t.Helper()
	m, err := model.ParseBytes("m.ward.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return testkit.Analyze(t, m, testkit.Today)
}

func find(groups []gate.Group, feature string) *gate.Group {
	for i, g := range groups {
		if (g.Feature == nil && feature == "") || (g.Feature != nil && g.Feature.ID == feature) {
			return &groups[i]
		}
	}
	return nil
}

func TestFeaturesJudgedApart(t *testing.T) {
	res := analyze(t, twoFeatures)
	groups, err := gate.Check(res, "", risk.Medium)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 {
		t.Fatalf("got %d groups, want sign-in, reporting and the rest", len(groups))
	}
	signIn, reporting, rest := find(groups, "sign-in"), find(groups, "reporting"), find(groups, "")
	if signIn == nil || reporting == nil || rest == nil {
		t.Fatalf("missing a group: %+v", groups)
	}
	if signIn.Passed() {
		t.Error("sign-in passed; its login API is open to brute force")
	}
	for _, th := range signIn.Blocking {
		if th.Target != "login" {
			t.Errorf("sign-in blocked by %s, which is not its threat", th.ID)
		}
	}
	for _, th := range reporting.Blocking {
		if th.Target != "reports" {
			t.Errorf("reporting blocked by %s, which is another feature's threat", th.ID)
		}
	}
	for _, th := range rest.Blocking {
		if th.Target != "legacy" {
			t.Errorf("the rest blocked by %s, which belongs to a feature", th.ID)
		}
	}
	if rest.Passed() {
		t.Error("the legacy API outside any feature should still be judged")
	}

	// Only one feature asked for: only it is judged.
	only, err := gate.Check(res, "reporting", risk.Medium)
	if err != nil {
		t.Fatal(err)
	}
	if len(only) != 1 || only[0].Feature.ID != "reporting" {
		t.Fatalf("--feature reporting judged %+v", only)
	}
	if _, err := gate.Check(res, "billing", risk.Medium); !errors.Is(err, engine.ErrUnknownFeature) {
		t.Errorf("unknown feature: got %v", err)
	}
}

func TestThresholdAndStatus(t *testing.T) {
	res := analyze(t, twoFeatures)
	groups, err := gate.Check(res, "sign-in", risk.Critical)
	if err != nil {
		t.Fatal(err)
	}
	if !groups[0].Passed() {
		t.Errorf("sign-in failed at critical: %v", groups[0].Blocking)
	}
	if groups[0].Unresolved == 0 {
		t.Error("unresolved count lost the threats below the threshold")
	}
	// Mitigating the threat unblocks the feature.
	fixed := analyze(t, twoFeatures+`mitigations:
  - {id: mfa, title: Require MFA, kind: fix, status: implemented, rules: [password-brute-force]}
`)
	for _, th := range gate.Blocking(fixed.Threats, risk.Low) {
		if th.Rule == "password-brute-force" {
			t.Errorf("%s still blocks after its mitigation was implemented", th.ID)
		}
	}
}

func TestModelWithoutFeatures(t *testing.T) {
	res := analyze(t, `title: t
components:
  - id: login
    kind: aws.api-gateway
    properties: {public: true, authentication: password}
`)
	groups, err := gate.Check(res, "", risk.Low)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Feature != nil || groups[0].Passed() {
		t.Fatalf("want one failing whole-model group, got %+v", groups)
	}
}
