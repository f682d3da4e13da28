package document

import (
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

func TestQRCodeURL(t *testing.T) {
	day := time.Date(2024, 1, 1, 19, 20, 30, 0, time.FixedZone("CET", 3600))
	got := QRCodeURL("89890001K", "12345678/G33", day, 12345)
	want := "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678%2FG33&fecha=01-01-2024&importe=123.45"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestQRCodeURLEncodesAndReadsBack(t *testing.T) {
	madrid := time.FixedZone("CET", 3600)
	cases := []struct {
		nif, number string
		issued      time.Time
		cents       int64
		fecha       string
		importe     string
	}{
		{"B58378431", "T2026-000123", time.Date(2026, 11, 29, 10, 0, 0, 0, madrid), 1901, "29-11-2026", "19.01"},
		{"B58378431", "A&B 2026/7+1=ñ", time.Date(2026, 3, 5, 0, 0, 0, 0, madrid), 5, "05-03-2026", "0.05"},
		{"X2482300W", "TR2026-000004", time.Date(2026, 6, 30, 23, 59, 0, 0, madrid), -596, "30-06-2026", "-5.96"},
		{"B58378431", "T2027-000001", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC).In(madrid), 0, "01-01-2027", "0.00"},
		{"B58378431", "X", time.Date(2026, 1, 1, 0, 0, 0, 0, madrid), math.MaxInt64, "01-01-2026", "92233720368547758.07"},
		{"B58378431", "X", time.Date(2026, 1, 1, 0, 0, 0, 0, madrid), math.MinInt64, "01-01-2026", "-92233720368547758.08"},
	}
	for _, c := range cases {
		u, err := url.Parse(QRCodeURL(c.nif, c.number, c.issued, c.cents))
		if err != nil {
			t.Fatalf("%s: %v", c.number, err)
		}
		if u.Scheme != "https" || u.Host != "www2.agenciatributaria.gob.es" || u.Path != "/wlpl/TIKE-CONT/ValidarQR" {
			t.Errorf("%s: wrong service %s", c.number, u)
		}
		q := u.Query()
		if len(q) != 4 || q.Get("nif") != c.nif || q.Get("numserie") != c.number || q.Get("fecha") != c.fecha || q.Get("importe") != c.importe {
			t.Errorf("%s: query reads back as %v, want nif=%s numserie=%s fecha=%s importe=%s", c.number, q, c.nif, c.number, c.fecha, c.importe)
		}
	}
}

func TestQRCodeSVGDecodes(t *testing.T) {
	text := QRCodeURL("B58378431", "T2026-000123", time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC), 1901)
	svg, err := QRCodeSVG(text)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Rect    struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
		Path struct {
			D    string `xml:"d,attr"`
			Fill string `xml:"fill,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("not well-formed SVG: %v", err)
	}
	var n int
	if _, err := fmt.Sscanf(doc.ViewBox, "0 0 %d %d", &n, &n); err != nil || doc.Rect.Fill != "#fff" || doc.Path.Fill != "#000" {
		t.Fatalf("unexpected SVG frame: viewBox %q, rect %q, path %q", doc.ViewBox, doc.Rect.Fill, doc.Path.Fill)
	}
	// Paint the path's runs, 6 pixels a module, and decode the picture.
	const px = 6
	img := image.NewGray(image.Rect(0, 0, n*px, n*px))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	runs := regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(doc.Path.D, -1)
	if len(runs) == 0 || strings.Join(regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).Split(doc.Path.D, -1), "") != "" {
		t.Fatalf("path holds something other than runs: %.80s…", doc.Path.D)
	}
	for _, r := range runs {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		for py := y * px; py < (y+1)*px; py++ {
			for pxx := x * px; pxx < (x+w)*px; pxx++ {
				img.SetGray(pxx, py, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("SVG QR code does not decode: %v", err)
	}
	if res.GetText() != text {
		t.Errorf("SVG QR code reads %q, want %q", res.GetText(), text)
	}
}
