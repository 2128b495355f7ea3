package report_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/browsertest"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
)

// screenshotPath is the README's picture of the report; go test ./report
// -update refreshes it.
const screenshotPath = "../docs/report-screenshot.png"

// TestHTMLInBrowser opens the example's HTML report in headless Chromium
// and uses it as a reader would: it counts the table's rows, types in the
// filter, picks a severity, sorts by clicking headers, and fails on any
// console error, exception or blocked resource. Then it reads the page
// again with JavaScript off.
//
//nolint:gocyclo // one browser session checks the page step by step, in order
func TestHTMLInBrowser(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, render(t, report.HTML, res, report.Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.Start(t, 1440, 1000, 20*time.Second)
	console := browsertest.WatchConsole(ctx, t)
	load := func(t *testing.T) {
		t.Helper()
		do(ctx, t, chromedp.Navigate("file://"+page))
		waitLoaded(ctx, t)
		if !eval[bool](ctx, t, `!document.getElementById("table-controls").hidden`) {
			t.Fatalf("the page's script did not run:\n%s", strings.Join(console(), "\n"))
		}
	}
	load(t)

	t.Run("rows", func(t *testing.T) {
		if got := visibleRows(ctx, t); len(got) != len(res.Threats) {
			t.Errorf("%d rows shown, want one per threat: %d", len(got), len(res.Threats))
		}
		want := fmt.Sprintf("%d threats", len(res.Threats))
		if got := eval[string](ctx, t, `document.getElementById("row-count").textContent`); got != want {
			t.Errorf("row count says %q, want %q", got, want)
		}
	})

	t.Run("row links to its threat", func(t *testing.T) {
		do(ctx, t, chromedp.Click(chromedp.CSS("#assessment-table tbody tr:first-child a")))
		want := "threat-" + res.Threats[0].ID
		if got := eval[string](ctx, t, `document.querySelector(":target") ? document.querySelector(":target").id : ""`); got != want {
			t.Errorf("the first row's link leads to %q, want %q", got, want)
		}
	})

	t.Run("text filter", func(t *testing.T) {
		const query = "Order Database"
		want := 0
		for _, th := range res.Threats {
			if strings.Contains(th.TargetName+" "+th.Actor+" "+th.Scenario, query) {
				want++
			}
		}
		if want == 0 || want == len(res.Threats) {
			t.Fatalf("the example has %d threats mentioning %q; pick a query that filters", want, query)
		}
		do(ctx, t, chromedp.SendKeys(chromedp.CSS("#filter-text"), query))
		rows := waitRows(ctx, t, want)
		for _, r := range rows {
			if !strings.Contains(r.Text, query) {
				t.Errorf("row %q shown for filter %q", r.Text, query)
			}
		}
		reset(ctx, t, len(res.Threats))
	})

	t.Run("severity filter", func(t *testing.T) {
		want := report.Summarize(res).BySeverity[risk.High]
		selectOption(ctx, t, "#filter-severity", string(risk.High))
		for _, r := range waitRows(ctx, t, want) {
			if r.Severity != string(risk.High) {
				t.Errorf("a %s row shows under the high filter: %q", r.Severity, r.Text)
			}
		}
		selectOption(ctx, t, "#filter-status", string(engine.Mitigated))
		both := 0
		for _, th := range res.Threats {
			if th.Severity == risk.High && th.Status == engine.Mitigated {
				both++
			}
		}
		waitRows(ctx, t, both)
		reset(ctx, t, len(res.Threats))
	})

	t.Run("sort by severity", func(t *testing.T) {
		// Alphabetically, high < low < medium; by rank the order differs.
		clickHeader(ctx, t, "Severity")
		if ranks := severityRanks(ctx, t); !slices.IsSortedFunc(ranks, func(a, b int) int { return b - a }) {
			t.Errorf("first click: severities not most severe first: %v", ranks)
		}
		clickHeader(ctx, t, "Severity")
		if ranks := severityRanks(ctx, t); !slices.IsSorted(ranks) {
			t.Errorf("second click: severities not least severe first: %v", ranks)
		}
	})

	t.Run("sort by component", func(t *testing.T) {
		clickHeader(ctx, t, "Component")
		var names []string
		for _, r := range visibleRows(ctx, t) {
			names = append(names, strings.ToLower(r.Component))
		}
		if !slices.IsSorted(names) || names[0] == names[len(names)-1] {
			t.Errorf("components not in alphabetical order: %q", names)
		}
		if got := eval[string](ctx, t, `document.querySelector('#assessment-table th[aria-sort]').textContent`); got != "Component" {
			t.Errorf("aria-sort marks %q, want Component", got)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		// Tall enough to show the summary, the diagram and the table's top.
		do(ctx, t, chromedp.EmulateViewport(1440, 1560))
		load(t)
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(shot))
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 600 {
			t.Errorf("screenshot is %v, want a laptop-sized page", b)
		}
		out := filepath.Join(t.TempDir(), "report-screenshot.png")
		if *update {
			out = screenshotPath
		}
		if err := os.WriteFile(out, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	})

	if msgs := console(); len(msgs) > 0 {
		t.Errorf("the page reported problems:\n%s", strings.Join(msgs, "\n"))
	}

	// With JavaScript off every threat still shows, and the filter
	// controls, which would do nothing, stay hidden.
	t.Run("without JavaScript", func(t *testing.T) {
		tab, closeTab := chromedp.NewContext(ctx)
		defer closeTab()
		do(tab, t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}), chromedp.Navigate("file://"+page))
		waitLoaded(tab, t)
		if got := visibleRows(tab, t); len(got) != len(res.Threats) {
			t.Errorf("%d rows shown without JavaScript, want %d", len(got), len(res.Threats))
		}
		if eval[bool](tab, t, `document.getElementById("table-controls").getClientRects().length > 0`) {
			t.Error("filter controls show although the script that drives them is off")
		}
		if eval[bool](tab, t, `document.querySelector("#assessment-table th button") !== null`) {
			t.Error("sort buttons without the script that sorts")
		}
	})
}

func do(ctx context.Context, t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Run(ctx, t, steps...)
}

func eval[T any](ctx context.Context, t *testing.T, js string) T {
	t.Helper()
	return browsertest.Eval[T](ctx, t, js)
}

// waitLoaded waits for the page to finish loading, scripts included.
func waitLoaded(ctx context.Context, t *testing.T) {
	t.Helper()
	for range 100 {
		if eval[bool](ctx, t, `document.readyState === "complete"`) {
			return
		}
		do(ctx, t, chromedp.Sleep(20*time.Millisecond))
	}
	t.Fatal("the page did not finish loading in 2 s")
}

// shownRow is a table row as the browser displays it.
type shownRow struct {
	Component string `json:"component"`
	Severity  string `json:"severity"`
	Text      string `json:"text"`
}

// visibleRows lists the rows the browser lays out, in display order.
func visibleRows(ctx context.Context, t *testing.T) []shownRow {
	t.Helper()
	return eval[[]shownRow](ctx, t, `Array.from(document.querySelectorAll("#assessment-table tbody tr"))
		.filter(r => r.getClientRects().length > 0)
		.map(r => ({component: r.cells[0].textContent, severity: r.dataset.severity, text: r.textContent}))`)
}

// waitRows waits briefly for the table to show want rows, and returns them.
func waitRows(ctx context.Context, t *testing.T, want int) []shownRow {
	t.Helper()
	var rows []shownRow
	for range 20 {
		if rows = visibleRows(ctx, t); len(rows) == want {
			return rows
		}
		do(ctx, t, chromedp.Sleep(25*time.Millisecond))
	}
	t.Fatalf("%d rows shown, want %d", len(rows), want)
	return nil
}

func severityRanks(ctx context.Context, t *testing.T) []int {
	t.Helper()
	var ranks []int
	for _, r := range visibleRows(ctx, t) {
		ranks = append(ranks, risk.Severity(r.Severity).Rank())
	}
	return ranks
}

// selectOption picks value in a select box the way a user does, which
// fires its change event.
func selectOption(ctx context.Context, t *testing.T, selector, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q;
		s.dispatchEvent(new Event("change", {bubbles: true})); return s.value; })()`, selector, value)
	if got := eval[string](ctx, t, js); got != value {
		t.Fatalf("%s has no option %q", selector, value)
	}
}

func clickHeader(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	do(ctx, t, chromedp.Click(chromedp.Search(fmt.Sprintf(`//table[@id="assessment-table"]//th/button[normalize-space()=%q]`, name))))
}

// reset clicks the form's Reset button and waits for every row to return.
func reset(ctx context.Context, t *testing.T, all int) {
	t.Helper()
	do(ctx, t, chromedp.Click(chromedp.CSS("#filter-reset")))
	waitRows(ctx, t, all)
}
