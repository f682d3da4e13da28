package bench

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRunCountsAndOrders(t *testing.T) {
	r := Run(context.Background(), "x", "sql", 100, 3, func(_ context.Context, i int) error {
		if i%10 == 0 {
			return errors.New("boom")
		}
		time.Sleep(time.Duration(i%5) * 10 * time.Microsecond)
		return nil
	})
	if r.N != 100 || r.Errors != 10 || r.P50 > r.P99 || r.P99 > r.Max || r.Throughput <= 0 {
		t.Errorf("result %+v", r)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	if percentile(d, 0.5) != 50 || percentile(d, 0.99) != 99 || percentile(d[:1], 0.99) != 1 {
		t.Errorf("percentiles %v %v", percentile(d, 0.5), percentile(d, 0.99))
	}
}

func TestPrint(t *testing.T) {
	var b bytes.Buffer
	Print(&b, []Result{{Name: "lookup", Group: "http", N: 10, P50: 500 * time.Microsecond, P99: 2 * time.Millisecond, Throughput: 5000}}, 10000)
	if !strings.Contains(b.String(), "| lookup | 10 | 0 | 500 µs | 2.00 ms |") || !strings.Contains(b.String(), "50 %") {
		t.Errorf("table:\n%s", b.String())
	}
}
