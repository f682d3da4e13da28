package draw

import (
	"strings"
	"testing"
	"time"
)

func benchBarcode(b *testing.B, v string) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Barcode(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBarcodeEAN13(b *testing.B)      { benchBarcode(b, "4006381333931") }
func BenchmarkBarcodeCode128(b *testing.B)    { benchBarcode(b, "CLI-0001234") }
func BenchmarkBarcodeCode128_64(b *testing.B) { benchBarcode(b, strings.Repeat("Ab12345", 9)+"X") }

func BenchmarkMonthlyBars(b *testing.B) {
	pts := monthsFrom(2025, time.December, 12000, 0, 45050, 30000, -5000, 88000, 0, 0, 15000, 123456, 99900, 40000)
	opts := Options{Title: "Gasto", Money: esMoney, MonthName: esMonth}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MonthlyBars(pts, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAgeingBars(b *testing.B) {
	buckets := []Bucket{{"0–30 días", 1234500}, {"31–60 días", 450000}, {"61–90 días", 0}, {"Más de 90 días", 99000}}
	opts := Options{Title: "Deudores", Money: esMoney}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AgeingBars(buckets, opts); err != nil {
			b.Fatal(err)
		}
	}
}
