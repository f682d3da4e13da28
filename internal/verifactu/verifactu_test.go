package verifactu

import (
	"errors"
	"math"
	"testing"
	"time"
)

// The tax agency's vectors (Veri-Factu_especificaciones_huella_hash_registros.pdf).
const (
	vector1 = "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60"
	vector2 = "F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97"
	vector3 = "177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68"
)

func agencyRecords() (Record, Record) {
	first := Record{
		IDEmisorFactura: "89890001K", NumSerieFactura: "12345678/G33",
		FechaExpedicionFactura: "01-01-2024", TipoFactura: "F1", CuotaTotal: "12.35",
		ImporteTotal: "123.45", Huella: "", FechaHoraHusoGenRegistro: "2024-01-01T19:20:30+01:00",
	}
	second := first
	second.NumSerieFactura = "12345679/G34"
	second.Huella = vector1
	second.FechaHoraHusoGenRegistro = "2024-01-01T19:20:35+01:00"
	return first, second
}

func TestAgencyVectors(t *testing.T) {
	first, second := agencyRecords()
	if got := first.Fingerprint(); got != vector1 {
		t.Fatalf("first record: %s, want %s", got, vector1)
	}
	if got := second.Fingerprint(); got != vector2 {
		t.Fatalf("second record: %s, want %s", got, vector2)
	}
	cancel := Cancellation{
		IDEmisorFacturaAnulada: "89890001K", NumSerieFacturaAnulada: "12345679/G34",
		FechaExpedicionFacturaAnulada: "01-01-2024", Huella: vector2,
		FechaHoraHusoGenRegistro: "2024-01-01T19:20:40+01:00",
	}
	if got := cancel.Fingerprint(); got != vector3 {
		t.Fatalf("cancellation: %s, want %s", got, vector3)
	}
}

func TestNewRecordFormatsLikeTheVectors(t *testing.T) {
	at := time.Date(2024, 1, 1, 18, 20, 30, 0, time.UTC) // 19:20:30 in Madrid
	r := NewRecord(" 89890001K ", "12345678/G33", at, "F1", 1235, 12345, "", at)
	if got := r.Fingerprint(); got != vector1 {
		t.Fatalf("NewRecord: %+v gives %s, want %s", r, got, vector1)
	}
	// Summer time: the offset follows the date.
	summer := NewRecord("89890001K", "X", time.Date(2024, 7, 1, 22, 30, 0, 0, time.UTC), "F2", 0, 0, "", time.Date(2024, 7, 1, 22, 30, 0, 0, time.UTC))
	if summer.FechaHoraHusoGenRegistro != "2024-07-02T00:30:00+02:00" || summer.FechaExpedicionFactura != "02-07-2024" {
		t.Fatalf("summer record: %+v", summer)
	}
}

func TestAmount(t *testing.T) {
	cases := map[int64]string{0: "0.00", 5: "0.05", 1235: "12.35", -300: "-3.00", -7: "-0.07",
		100000000: "1000000.00", math.MinInt64: "-92233720368547758.08", math.MaxInt64: "92233720368547758.07"}
	for cents, want := range cases {
		if got := Amount(cents); got != want {
			t.Errorf("Amount(%d) = %q, want %q", cents, got, want)
		}
	}
}

func TestVerifierFindsTheFirstBreak(t *testing.T) {
	first, second := agencyRecords()
	var v Verifier
	if err := v.Next(first, vector1); err != nil {
		t.Fatal(err)
	}
	if err := v.Next(second, vector2); err != nil {
		t.Fatal(err)
	}
	if v.Checked() != 2 || v.Head() != vector2 {
		t.Fatalf("checked %d head %s", v.Checked(), v.Head())
	}

	// A changed amount with its old fingerprint: the record itself is caught.
	changed := second
	changed.ImporteTotal = "1.45"
	var w Verifier
	_ = w.Next(first, vector1)
	var be *BreakError
	if err := w.Next(changed, vector2); !errors.As(err, &be) || be.Position != 2 || be.Reason != "fingerprint" {
		t.Fatalf("changed record: %v", err)
	}

	// A removed record: the next one no longer links.
	var x Verifier
	if err := x.Next(second, vector2); !errors.As(err, &be) || be.Position != 1 || be.Reason != "link" {
		t.Fatalf("missing first record: %v", err)
	}
}
