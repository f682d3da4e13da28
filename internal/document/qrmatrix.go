package document

import (
	"fmt"

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
