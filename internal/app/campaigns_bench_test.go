package app_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestCampaignCost measures what SendMessage costs for a group of CLIENTELA_CAMPAIGN_BENCH
// customers (e.g. 10000) who all gave consent: reading the group, their balances, rendering
// both parts for each, and queueing one outbox message each, in one transaction. Skipped
// unless the variable is set; docs/performance.md has the numbers.
func TestCampaignCost(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CLIENTELA_CAMPAIGN_BENCH"))
	if n <= 0 {
		t.Skip("set CLIENTELA_CAMPAIGN_BENCH=10000 to measure")
	}
	eachBackend(t, app.Config{Mail: app.MailConfig{PublicURL: "https://tienda.example"}}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss, manager := e.principal(t, "boss"), e.principal(t, "manu")
		g, err := e.app.CreateGroup(ctx, boss, domain.GroupChanges{Name: domain.Some("Socios")})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		customers := make([]domain.Customer, n)
		for i := range customers {
			c := &customers[i]
			c.ID, c.Kind, c.FirstName, c.LastName = uuid.Must(uuid.NewV7()).String(), domain.KindPerson, fmt.Sprintf("Nombre%05d", i), "Muñoz"
			c.Email, c.GroupID, c.MarketingConsent, c.MarketingConsentAt = fmt.Sprintf("cliente%05d@example.com", i), g.ID, true, &now
			c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
		}
		if err := e.db.BulkInsertCustomers(ctx, customers); err != nil {
			t.Fatal(err)
		}
		draft := app.MessageDraft{Audience: domain.AudienceGroup, GroupID: g.ID, Subject: "Novedades de primavera, {{.FirstName}}",
			Body: "Hola, {{.Name}}:\n\nEsta semana tenemos aceite de oliva nuevo y queso de la Serena para el grupo {{.Group}}.\nSu saldo: {{.Balance}}.\n\nUn saludo."}
		start := time.Now()
		pv, err := e.app.PreviewMessage(ctx, manager, draft)
		if err != nil || pv.Recipients != n {
			t.Fatalf("preview: %v %d", err, pv.Recipients)
		}
		previewed := time.Since(start)
		start = time.Now()
		c, err := e.app.SendMessage(ctx, manager, draft)
		if err != nil || c.Recipients != int64(n) {
			t.Fatalf("send: %v %+v", err, c)
		}
		queued := time.Since(start)
		counts, err := e.app.MailCampaignCounts(ctx, manager, c.ID)
		if err != nil || counts[domain.OutboxQueued] != int64(n) {
			t.Fatalf("counts: %v %v", err, counts)
		}
		t.Logf("%s: preview of %d recipients in %v; %d messages queued in %v (%.0f/s)", t.Name(), n, previewed.Round(time.Millisecond),
			n, queued.Round(time.Millisecond), float64(n)/queued.Seconds())
	})
}
