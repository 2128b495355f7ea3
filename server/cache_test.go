package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAnswersBudget(t *testing.T) {
	a := newAnswers(100)
	a.put("a", []byte(strings.Repeat("a", 20)), 1)
	a.put("b", []byte(strings.Repeat("b", 20)), 1)
	a.get("a") // a is now the most recent
	for _, k := range []string{"c", "d", "e", "f"} {
		a.put(k, []byte(strings.Repeat(k, 20)), 1)
	}
	if _, _, ok := a.get("b"); ok {
		t.Error("the least recently used answer survived past the budget")
	}
	if a.used > 100 {
		t.Errorf("%d bytes held, budget 100", a.used)
	}
	a.put("huge", make([]byte, 30), 1)
	if _, _, ok := a.get("huge"); ok {
		t.Error("an answer over a quarter of the budget was cached")
	}
	a.put("f", []byte("x"), 7)
	if got, total, _ := a.get("f"); string(got) != "x" || total != 7 {
		t.Errorf("replaced answer = %q, total %d", got, total)
	}
}

// A triage made through one server is seen at once through another on the
// same database: the cache is keyed on the project's revision.
func TestThreatsCacheFollowsTriage(t *testing.T) {
	dsn := dialects(t)["postgres"]
	a, b := newEnv(t, dsn), newEnv(t, dsn)
	site := a.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
	site.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
	onB := &client{e: b, cookie: site.cookie, csrf: site.csrf}
	var before, after []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	site.decode("GET", "/api/projects/shop/versions/1/threats?status=open", nil, 200, &before)
	onB.decode("PUT", "/api/projects/shop/threats/"+before[0].ID+"/triage", map[string]string{"status": "mitigated"}, 200, nil)
	site.decode("GET", "/api/projects/shop/versions/1/threats?status=open", nil, 200, &after)
	if len(after) != len(before)-1 {
		t.Errorf("open threats %d before and %d after a triage on the other server", len(before), len(after))
	}
}

// Analyses take a slot each; with every slot taken, the next one waits and
// gives up with its request rather than running anyway.
func TestAnalysesBounded(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	for range cap(e.srv.slots) {
		e.srv.slots <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.srv.analyze(ctx, files{"m.ward.yaml": []byte("title: m\n")}, "m.ward.yaml", today)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("analysis with no free slot = %v, want to wait and give up", err)
	}
	<-e.srv.slots
	if _, err := e.srv.analyze(context.Background(), files{"m.ward.yaml": []byte("title: m\n")}, "m.ward.yaml", today); err != nil {
		t.Fatalf("analysis with a free slot: %v", err)
	}
}
