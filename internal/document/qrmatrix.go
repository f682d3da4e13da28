package document

import (
	"fmt"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// qrMatrix encodes text as a QR code (ISO/IEC 18004) with error correction level M, as the
// tax agency asks, and returns its modules, true for dark, without the quiet zone.
func qrMatrix(text string) ([][]bool, error) {
	qr, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("document: encode QR code: %w", err)
	}
	var w matrixWriter
	if err := qr.Save(&w); err != nil {
		return nil, fmt.Errorf("document: encode QR code: %w", err)
	}
	return w.bitmap, nil
}

// matrixWriter receives the QR code's modules from the encoder instead of an image.
type matrixWriter struct{ bitmap [][]bool }

func (w *matrixWriter) Write(m qrcode.Matrix) error {
	w.bitmap = m.Bitmap()
	return nil
}

func (w *matrixWriter) Close() error { return nil }

// qrQuietModules is the blank margin ISO/IEC 18004 asks around a symbol, in modules.
const qrQuietModules = 4

// QRCodeSVG returns the QR code of text (error correction M) as an SVG image for web pages,
// such as the receipt's print view: one path of dark modules on a white square that
// includes the quiet zone. The viewBox is in modules, so the caller sizes it with CSS
// (30–40 mm for the tax agency's code, e.g. style="width:35mm").
func QRCodeSVG(text string) (string, error) {
	m, err := qrMatrix(text)
	if err != nil {
		return "", err
	}
	n := len(m) + 2*qrQuietModules
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for row, cells := range m {
		for col := 0; col < len(cells); {
			if !cells[col] {
				col++
				continue
			}
			start := col
			for col < len(cells) && cells[col] {
				col++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start+qrQuietModules, row+qrQuietModules, col-start, col-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
