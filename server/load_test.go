package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wardsec/ward/store"
	"github.com/wardsec/ward/synth"
)

// BenchmarkLoad drives a server on loopback at fixed request rates and
// reports latency percentiles and the throughput reached: reads of a
// version's threat table (a model of 300 components, about 1,000 threats)
// at rising rates, then triage writes. Requests are sent on schedule
// whatever the server's pace (an open loop) and latency is measured from
// the scheduled time, so queueing cannot hide. Each level sends a bounded
// number of requests; the whole run stops by itself.
//
//	go test ./server -run '^$' -bench Load -benchtime 1x
func BenchmarkLoad(b *testing.B) {
	for name, dsn := range dialects(b) {
		e := newEnv(b, dsn)
		site := e.user("site@example.com", true)
		site.decode("POST", "/api/projects", map[string]string{"slug": "load"}, 201, nil)
		var model bytes.Buffer
		if err := synth.Model(&model, synth.Options{Components: 300, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		site.decode("POST", "/api/projects/load/versions", model.Bytes(), 201, nil)
		var threats []store.Finding
		site.decode("GET", "/api/projects/load/versions/1/threats", nil, 200, &threats)
		reader := e.token(mustProject(b, e, "load"), store.Editor)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}, Timeout: 30 * time.Second}
		read := func(int) *http.Request {
			req, _ := http.NewRequest("GET", e.http.URL+"/api/projects/load/versions/1/threats?severity=high", nil)
			req.Header.Set("Authorization", "Bearer "+reader.bearer)
			return req
		}
		for _, rate := range []int{100, 250, 500, 1000} {
			b.Run(fmt.Sprintf("%s/read/%drps", name, rate), func(b *testing.B) {
				reportLoad(b, drive(rate, 3*time.Second, 128, client, read))
			})
		}
		write := func(i int) *http.Request {
			th := threats[i%len(threats)].ThreatID
			body := fmt.Sprintf(`{"status":"mitigation-planned","owner":"load","comment":"step %d"}`, i)
			req, _ := http.NewRequest("PUT", e.http.URL+"/api/projects/load/threats/"+th+"/triage", bytes.NewReader([]byte(body)))
			req.Header.Set("Authorization", "Bearer "+reader.bearer)
			return req
		}
		for _, rate := range []int{50, 100, 200} {
			b.Run(fmt.Sprintf("%s/write/%drps", name, rate), func(b *testing.B) {
				reportLoad(b, drive(rate, 3*time.Second, 128, client, write))
			})
		}
		// Reads while triage goes on: every write changes the project's
		// revision, so the next read of the table is computed afresh.
		b.Run(name+"/read-500rps-while-writing-20rps", func(b *testing.B) {
			done := make(chan loadResult)
			go func() { done <- drive(20, 3*time.Second, 8, client, write) }()
			reportLoad(b, drive(500, 3*time.Second, 128, client, read))
			if w := <-done; w.failed > 0 {
				b.Errorf("%d writes failed", w.failed)
			}
		})
	}
}

func mustProject(b testing.TB, e *env, slug string) store.Project {
	p, err := e.store.ProjectBySlug(b.Context(), slug)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func reportLoad(b *testing.B, r loadResult) {
	b.ReportMetric(float64(r.p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(r.max.Microseconds())/1000, "max-ms")
	b.ReportMetric(r.achieved, "req/s")
	b.ReportMetric(float64(r.failed), "failed")
	if r.failed > 0 {
		b.Errorf("%d of %d requests failed", r.failed, r.sent)
	}
}

// loadResult is one level's outcome.
type loadResult struct {
	sent, failed  int
	p50, p99, max time.Duration
	achieved      float64 // requests completed per second
}

// drive sends rate requests per second for dur, each built by newReq, with
// at most workers in flight.
func drive(rate int, dur time.Duration, workers int, client *http.Client, newReq func(i int) *http.Request) loadResult {
	total := int(float64(rate) * dur.Seconds())
	interval := time.Second / time.Duration(rate)
	lat := make([]time.Duration, total)
	failed := make([]bool, total)
	jobs := make(chan int, total)
	for i := range total {
		jobs <- i
	}
	close(jobs)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				due := start.Add(time.Duration(i) * interval)
				time.Sleep(time.Until(due))
				resp, err := client.Do(newReq(i))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(due)
				failed[i] = err != nil || resp.StatusCode >= 300
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := loadResult{sent: total}
	for _, f := range failed {
		if f {
			r.failed++
		}
	}
	slices.Sort(lat)
	r.p50, r.p99, r.max = lat[total/2], lat[total*99/100], lat[total-1]
	r.achieved = float64(total) / elapsed.Seconds()
	return r
}

// BenchmarkReadThreats is one read of a ~1,000-threat version's high
// threats (about 300 rows) at a time: the cost of a request without
// queueing.
//
//	go test ./server -run '^$' -bench ReadThreats
func BenchmarkReadThreats(b *testing.B) {
	e := newEnv(b, dialects(b)["sqlite"])
	site := e.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "load"}, 201, nil)
	var model bytes.Buffer
	if err := synth.Model(&model, synth.Options{Components: 300, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	site.decode("POST", "/api/projects/load/versions", model.Bytes(), 201, nil)
	tok := e.token(mustProject(b, e, "load"), store.Viewer)
	b.ResetTimer()
	for range b.N {
		if resp, _ := tok.do("GET", "/api/projects/load/versions/1/threats?severity=high", nil); resp.StatusCode != 200 {
			b.Fatal(resp.Status)
		}
	}
}
