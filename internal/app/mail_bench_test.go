package app_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
	"github.com/clientela/clientela/internal/mail/mailtest"
)

// TestMailBatchCost measures what a campaign of CLIENTELA_MAIL_BENCH messages (e.g. 10000)
// costs: queueing them (500 per transaction, as a campaign would), then sending them all
// through the worker's rounds to the in-process SMTP server, one connection per message, no
// rate limit. Skipped unless the variable is set; docs/performance.md has the numbers.
func TestMailBatchCost(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CLIENTELA_MAIL_BENCH"))
	if n <= 0 {
		t.Skip("set CLIENTELA_MAIL_BENCH=10000 to measure")
	}
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		a := e.mailApp(smtpTo(srv), app.MailConfig{Batch: 100})
		m := app.OutgoingMail{Kind: domain.MailMessage, CampaignID: "01900000-0000-7000-8000-000000000001",
			Subject: "Novedades de primavera en Ultramarinos Pepa",
			Text:    "Hola, señora Muñoz:\n\nEsta semana tenemos aceite de oliva nuevo y queso de la Serena.\n\nUn saludo.",
			HTML:    "<p>Hola, señora Muñoz:</p><p>Esta semana tenemos aceite de oliva nuevo y queso de la Serena.</p>",
			Headers: mail.UnsubscribeHeaders("https://tienda.example/baja/0123456789abcdef", "")}
		start := time.Now()
		for i := 0; i < n; {
			err := e.db.Write(ctx, func(tx app.Tx) error {
				for j := 0; j < 500 && i+j < n; j++ {
					m.To = mail.Address{Name: "Cliente " + strconv.Itoa(i+j), Email: fmt.Sprintf("c%d@example.com", i+j)}
					if _, err := a.QueueMail(ctx, tx, m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			i += 500
		}
		queued := time.Since(start)
		start = time.Now()
		for {
			k, err := a.DeliverMail(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if k == 0 {
				break
			}
		}
		sent := time.Since(start)
		if srv.Count() != n {
			t.Fatalf("server received %d of %d", srv.Count(), n)
		}
		t.Logf("%s: %d messages queued in %v (%.0f/s), sent in %v (%.0f/s)", t.Name(), n, queued.Round(time.Millisecond),
			float64(n)/queued.Seconds(), sent.Round(time.Millisecond), float64(n)/sent.Seconds())
	})
}
