// Package bench measures Clientela where users feel it: a barcode lookup and a search over
// HTTP, the same queries as bare SQL, and an empty net/http handler as the ceiling of what
// this machine serves. It prints a table with p50, p99, throughput and ratios.
package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Measure runs op n times one at a time, for latencies as one client sees them, then n times
// from concurrency clients, for the throughput the machine sustains.
func Measure(ctx context.Context, name, group string, n, concurrency int, op func(ctx context.Context, i int) error) Result {
	lat := Run(ctx, name, group, n, 1, op)
	thr := Run(ctx, name, group, n, concurrency, op)
	lat.Throughput = thr.Throughput
	lat.Errors += thr.Errors
	return lat
}

// Result is one measured case.
type Result struct {
	Name       string
	Group      string // "http", "sql", "baseline"
	N          int
	Errors     int
	P50, P99   time.Duration
	Max        time.Duration
	Throughput float64 // operations per second at the configured concurrency
}

// Run calls op n times from concurrency goroutines, cycling i over 0..n-1, and measures each
// call. An op error counts as an error and its time is kept.
func Run(ctx context.Context, name, group string, n, concurrency int, op func(ctx context.Context, i int) error) Result {
	lat := make([]time.Duration, n)
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				t := time.Now()
				if err := op(ctx, i); err != nil {
					errs.Add(1)
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	return Result{
		Name: name, Group: group, N: n, Errors: int(errs.Load()),
		P50: percentile(lat, 0.50), P99: percentile(lat, 0.99), Max: lat[len(lat)-1],
		Throughput: float64(n) / wall.Seconds(),
	}
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// HTTPGet returns an op that GETs urls[i % len(urls)] with a bearer token and expects 200.
func HTTPGet(client *http.Client, urls []string, token string) func(ctx context.Context, i int) error {
	return func(ctx context.Context, i int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, urls[i%len(urls)], nil)
		if err != nil {
			return err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
}

// NewClient is an HTTP client that keeps a connection per worker.
func NewClient(concurrency int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = concurrency * 2
	tr.MaxIdleConnsPerHost = concurrency * 2
	tr.DisableCompression = true
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Print writes the results as a Markdown table, with each HTTP case's throughput as a share
// of the empty handler's.
func Print(w io.Writer, results []Result, baseline float64) {
	fmt.Fprintln(w, "| case | ops | errors | p50 | p99 | max | throughput/s (concurrent) | vs empty handler |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		ratio := "—"
		if r.Group == "http" && baseline > 0 {
			ratio = fmt.Sprintf("%.0f %%", 100*r.Throughput/baseline)
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %.0f | %s |\n", r.Name, r.N, r.Errors,
			fmtDur(r.P50), fmtDur(r.P99), fmtDur(r.Max), r.Throughput, ratio)
	}
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	default:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
}
