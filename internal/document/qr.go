package document

import (
	"net/url"
	"strconv"
	"time"
)

// qrBaseURL is the tax agency's service that checks a VERI*FACTU invoice from its QR code.
const qrBaseURL = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR"

// QRCodeURL returns the URL that an invoice's QR code carries (Orden HAC/1177/2024): the
// issuer's tax id, the invoice's series and number, the issue date as dd-mm-yyyy in the
// issuer's time zone (pass issued in that zone), and the total with a dot and two decimals
// ("123.45", "-5.00"), each value URL-encoded.
func QRCodeURL(issuerNIF, number string, issued time.Time, totalCents int64) string {
	q := "nif=" + url.QueryEscape(issuerNIF) +
		"&numserie=" + url.QueryEscape(number) +
		"&fecha=" + issued.Format("02-01-2006") +
		"&importe=" + url.QueryEscape(decimalAmount(totalCents))
	return qrBaseURL + "?" + q
}

// decimalAmount writes cents as the specification writes amounts: "123.45", "-0.05".
func decimalAmount(cents int64) string {
	neg := cents < 0
	var mag uint64
	if neg {
		mag = uint64(-(cents + 1)) + 1
	} else {
		mag = uint64(cents)
	}
	frac := mag % 100
	s := strconv.FormatUint(mag/100, 10) + "." + string(rune('0'+frac/10)) + string(rune('0'+frac%10))
	if neg {
		return "-" + s
	}
	return s
}
