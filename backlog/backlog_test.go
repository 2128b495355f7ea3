package backlog_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/backlog"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// threat is a small library threat on an order API.
func threat(id string, sev risk.Severity, status engine.Status) *engine.Threat {
	return &engine.Threat{
		Info: &engine.Info{
			Title:        "Brute force against sign-in",
			Stride:       []model.Stride{model.Spoofing},
			Actor:        "External adversary",
			Requirements: []string{"Lock accounts after 10 failures."},
			TestCases:    []string{"Try 11 wrong passwords; expect a lockout.", "Check the lockout is logged."},
			References:   []string{"CAPEC-49", "CWE-307", "T1110.001", "CSA-1", "https://example.com/guide"},
		},
		ID: id, Rule: strings.Split(id, "@")[0], Target: "order-api", TargetName: "Order API", TargetKind: "aws.api-gateway",
		Location: model.Pos{File: "shop.ward.yaml", Line: 12, Col: 5},
		Scenario: "An attacker tries passwords against Order API.", Likelihood: risk.Moderate, Impact: risk.Severe,
		BaseSeverity: sev, Severity: sev, Status: status,
		Evidence:    []string{"rate_limiting=false"},
		Mitigations: []engine.Mitigation{{Title: "Rate-limit sign-in", Kind: model.MitigationKind("fix"), Status: engine.SuggestedStatus}},
	}
}

func TestItemsKeepsUnresolvedAtOrAboveFloor(t *testing.T) {
	threats := []*engine.Threat{
		threat("a@x", risk.Critical, engine.Open),
		threat("b@x", risk.High, engine.Mitigated),
		threat("c@x", risk.High, engine.MitigationPlanned),
		threat("d@x", risk.Medium, engine.AcceptanceExpired),
		threat("e@x", risk.Medium, engine.Accepted),
		threat("f@x", risk.Low, engine.Open),
	}
	tests := []struct {
		floor risk.Severity
		want  []string
	}{
		{risk.Low, []string{"a@x", "c@x", "d@x", "f@x"}},
		{risk.Medium, []string{"a@x", "c@x", "d@x"}},
		{risk.High, []string{"a@x", "c@x"}},
		{risk.Critical, []string{"a@x"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.floor), func(t *testing.T) {
			var got []string
			for _, it := range backlog.Items(threats, tt.floor) {
				got = append(got, it.ThreatID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestItemOf(t *testing.T) {
	it := backlog.ItemOf(threat("password-brute-force@order-api", risk.High, engine.Open))
	if want := "[HIGH] Brute force against sign-in — Order API"; it.Title != want {
		t.Errorf("title %q, want %q", it.Title, want)
	}
	if diff := cmp.Diff([]string{"ward", "severity:high"}, it.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	for _, want := range []string{
		"An attacker tries passwords against Order API.",
		"- **Component:** Order API (aws.api-gateway) — `shop.ward.yaml:12`",
		"- **STRIDE:** Spoofing",
		"- **Severity:** HIGH (likelihood moderate × impact severe)",
		"### Evidence\n\n- `rate_limiting=false`",
		"- Rate-limit sign-in (fix, suggested)",
		"### Security requirements\n\n- [ ] Lock accounts after 10 failures.",
		"### Test cases\n\n- [ ] Try 11 wrong passwords; expect a lockout.\n- [ ] Check the lockout is logged.",
		"- [CAPEC-49](https://capec.mitre.org/data/definitions/49.html)",
		"- [CWE-307](https://cwe.mitre.org/data/definitions/307.html)",
		"- [T1110.001](https://attack.mitre.org/techniques/T1110/001/)",
		"- CSA-1\n",
		"- <https://example.com/guide>",
	} {
		if !strings.Contains(it.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, it.Body)
		}
	}
	if !strings.HasSuffix(it.Body, "<!-- ward-threat-id: password-brute-force@order-api -->\n") {
		t.Errorf("body does not end with the marker:\n%s", it.Body)
	}
	if diff := cmp.Diff([]string{"password-brute-force@order-api"}, backlog.MarkedIDs(it.Body)); diff != "" {
		t.Errorf("MarkedIDs (-want +got):\n%s", diff)
	}
}

func TestItemOfRaisedSeverity(t *testing.T) {
	th := threat("r@x", risk.High, engine.Open)
	th.BaseSeverity = risk.Medium
	th.Rationale = []string{"raised from medium: can lead to doomsday scenario data-leak"}
	body := backlog.ItemOf(th).Body
	for _, want := range []string{
		"HIGH (likelihood moderate × impact severe gives medium, raised to high)",
		"### Why this severity\n\n- raised from medium: can lead to doomsday scenario data-leak",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

// TestItemOfEscapesModelText keeps model text from turning into markup,
// mentions or issue links in the tracker.
func TestItemOfEscapesModelText(t *testing.T) {
	th := threat("x@y", risk.Low, engine.Open)
	th.Scenario = "Ping @security-team about #12 <img src=x onerror=alert(1)> **now**\n# heading"
	th.TargetName = "API\nv2"
	it := backlog.ItemOf(th)
	first, _, _ := strings.Cut(it.Body, "\n")
	if want := `Ping \@security-team about \#12 \<img src=x onerror=alert(1)\> \*\*now\*\* \# heading`; first != want {
		t.Errorf("scenario line %q, want %q", first, want)
	}
	if strings.Contains(it.Title, "\n") {
		t.Errorf("title spans lines: %q", it.Title)
	}
}

func TestItemOfHandWrittenThreat(t *testing.T) {
	th := &engine.Threat{ID: "hw-1", Target: "db", TargetName: "DB", Scenario: "Someone drops a table.",
		Likelihood: risk.Moderate, Impact: risk.Problematic, Severity: risk.Medium, BaseSeverity: risk.Medium, Status: engine.Open}
	it := backlog.ItemOf(th)
	if want := "[MEDIUM] hw-1 — DB"; it.Title != want {
		t.Errorf("title %q, want %q", it.Title, want)
	}
	if strings.Contains(it.Body, "**Rule:**") || strings.Contains(it.Body, "### Test cases") {
		t.Errorf("body shows sections the threat lacks:\n%s", it.Body)
	}
	if got := backlog.MarkedIDs(it.Body); len(got) != 1 || got[0] != "hw-1" {
		t.Errorf("marker ids %q, want [hw-1]", got)
	}
}

func TestTitleIsCapped(t *testing.T) {
	th := threat("x@y", risk.Low, engine.Open)
	th.Title = strings.Repeat("é", 400)
	title := backlog.ItemOf(th).Title
	if n := utf8.RuneCountInString(title); n != 255 || !strings.HasSuffix(title, "…") {
		t.Errorf("title has %d characters (want 255, ending in …): %q", n, title)
	}
}

func TestMarkedIDs(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"none", "a plain issue", nil},
		{"one", "text\n<!-- ward-threat-id: a-b@c.d -->\n", []string{"a-b@c.d"}},
		{"loose spacing", "<!--ward-threat-id:x@y-->", []string{"x@y"}},
		{"two", "<!-- ward-threat-id: a@b --> and <!-- ward-threat-id: c@d -->", []string{"a@b", "c@d"}},
		{"other comment", "<!-- threat-id: a@b -->", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, backlog.MarkedIDs(tt.body)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// exampleItems are the items of the Acme example, its acceptances judged
// on a fixed day.
func exampleItems(t *testing.T) []backlog.Item {
	t.Helper()
	res := testkit.AnalyzeExample(t)
	return backlog.Items(res.Threats, risk.Low)
}

func TestExampleItemsAreUnique(t *testing.T) {
	items := exampleItems(t)
	if len(items) == 0 {
		t.Fatal("the example has no open threats")
	}
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.ThreatID] {
			t.Errorf("two items for %s", it.ThreatID)
		}
		seen[it.ThreatID] = true
		if !it.Threat.Status.Unresolved() {
			t.Errorf("%s is %s, not unresolved", it.ThreatID, it.Threat.Status)
		}
	}
}
