// Package verifactu builds the tamper-evident chain of invoice records in the manner of
// Spain's VERI*FACTU (RD 1007/2023, Orden HAC/1177/2024): each record's fingerprint ("huella")
// is SHA-256 over a fixed text made of the record's own fields and the previous record's
// fingerprint, so changing, removing or reordering a stored record breaks every later link.
//
// The fields are kept as the exact strings that were hashed (dates as dd-mm-yyyy, amounts as
// "12.35"): a checker recomputes the fingerprint from what is stored, never from values
// re-formatted by code that may have changed since. The specification's test vectors are in
// the tests. Facts and sources: shared/reference/invoicing-and-accounting.md.
package verifactu

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Madrid's rules inside the binary
)

// Record holds a registration record's chain fields exactly as written, under the
// specification's own names.
type Record struct {
	IDEmisorFactura          string // the issuer's tax id (NIF)
	NumSerieFactura          string // series and number, e.g. "T2026-000001"
	FechaExpedicionFactura   string // issue date, dd-mm-yyyy
	TipoFactura              string // F1, F2, R1…R5
	CuotaTotal               string // total VAT, e.g. "12.35"
	ImporteTotal             string // total, VAT included
	Huella                   string // the previous record's fingerprint; "" for the first
	FechaHoraHusoGenRegistro string // when the record was made, ISO 8601 with offset
}

// Cancellation is a record that cancels an earlier one (its fields, as written).
type Cancellation struct {
	IDEmisorFacturaAnulada        string
	NumSerieFacturaAnulada        string
	FechaExpedicionFacturaAnulada string
	Huella                        string
	FechaHoraHusoGenRegistro      string
}

// madrid is the time zone of Spanish records (peninsular time), from the zone data embedded
// in the binary (time/tzdata) so a server without /usr/share/zoneinfo writes the same text.
var madrid = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		panic(fmt.Sprintf("verifactu: embedded time zone data: %v", err)) // cannot happen: time/tzdata is linked in
	}
	return loc
})

// Madrid is the time zone the records' dates and times are written in.
func Madrid() *time.Location { return madrid() }

// NewRecord formats an invoice's facts as a record: the dates in Madrid time, amounts with a
// dot and two decimals.
func NewRecord(issuerTaxID, number string, issued time.Time, invoiceType string, vatCents, totalCents int64, previous string, generated time.Time) Record {
	loc := madrid()
	return Record{
		IDEmisorFactura:          strings.TrimSpace(issuerTaxID),
		NumSerieFactura:          strings.TrimSpace(number),
		FechaExpedicionFactura:   Date(issued.In(loc)),
		TipoFactura:              invoiceType,
		CuotaTotal:               Amount(vatCents),
		ImporteTotal:             Amount(totalCents),
		Huella:                   previous,
		FechaHoraHusoGenRegistro: Timestamp(generated.In(loc)),
	}
}

// Date writes a date as the records do: dd-mm-yyyy.
func Date(t time.Time) string { return t.Format("02-01-2006") }

// Timestamp writes a moment to the second with its UTC offset, e.g. 2024-01-01T19:20:30+01:00.
func Timestamp(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

// Amount writes cents as the records do: a dot and two decimals, a minus sign for returns
// ("12.35", "-3.00", "0.00").
func Amount(cents int64) string {
	sign := ""
	u := uint64(cents)
	if cents < 0 {
		sign = "-"
		u = uint64(-(cents + 1)) + 1 // no overflow at math.MinInt64
	}
	frac := strconv.FormatUint(u%100, 10)
	if len(frac) == 1 {
		frac = "0" + frac
	}
	return sign + strconv.FormatUint(u/100, 10) + "." + frac
}

// Text is the string the fingerprint is computed over. Values are trimmed, not escaped, and
// an empty value is still written as "key=".
func (r Record) Text() string {
	return join(
		"IDEmisorFactura", r.IDEmisorFactura,
		"NumSerieFactura", r.NumSerieFactura,
		"FechaExpedicionFactura", r.FechaExpedicionFactura,
		"TipoFactura", r.TipoFactura,
		"CuotaTotal", r.CuotaTotal,
		"ImporteTotal", r.ImporteTotal,
		"Huella", r.Huella,
		"FechaHoraHusoGenRegistro", r.FechaHoraHusoGenRegistro,
	)
}

// Fingerprint is the record's huella: SHA-256 of Text as 64 upper-case hex characters.
func (r Record) Fingerprint() string { return digest(r.Text()) }

// Text is the string a cancellation's fingerprint is computed over.
func (c Cancellation) Text() string {
	return join(
		"IDEmisorFacturaAnulada", c.IDEmisorFacturaAnulada,
		"NumSerieFacturaAnulada", c.NumSerieFacturaAnulada,
		"FechaExpedicionFacturaAnulada", c.FechaExpedicionFacturaAnulada,
		"Huella", c.Huella,
		"FechaHoraHusoGenRegistro", c.FechaHoraHusoGenRegistro,
	)
}

// Fingerprint is the cancellation's huella.
func (c Cancellation) Fingerprint() string { return digest(c.Text()) }

func join(pairs ...string) string {
	var b strings.Builder
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pairs[i])
		b.WriteByte('=')
		b.WriteString(strings.TrimSpace(pairs[i+1]))
	}
	return b.String()
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// BreakError says where a chain stops holding: the position of the first record (counted
// from 1) whose link or fingerprint is wrong, its number, and what is wrong.
type BreakError struct {
	Position int
	Number   string
	Reason   string // "fingerprint" (the record was changed) or "link" (a record is missing, added or moved)
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("invoice chain broken at record %d (%s): %s does not match", e.Position, e.Number, e.Reason)
}

// Check reports whether fingerprint is r's own and r follows the record whose fingerprint is
// previous. position is only used in the error.
func Check(position int, r Record, fingerprint, previous string) error {
	if r.Huella != previous {
		return &BreakError{Position: position, Number: r.NumSerieFactura, Reason: "link"}
	}
	if r.Fingerprint() != fingerprint {
		return &BreakError{Position: position, Number: r.NumSerieFactura, Reason: "fingerprint"}
	}
	return nil
}

// Verifier walks a chain one record at a time, in the order the records were made.
type Verifier struct {
	checked int
	last    string
}

// Next checks the next record and its stored fingerprint.
func (v *Verifier) Next(r Record, fingerprint string) error {
	if err := Check(v.checked+1, r, fingerprint, v.last); err != nil {
		return err
	}
	v.checked++
	v.last = fingerprint
	return nil
}

// Checked is how many records have been found sound.
func (v *Verifier) Checked() int { return v.checked }

// Head is the last sound record's fingerprint ("" before the first).
func (v *Verifier) Head() string { return v.last }
