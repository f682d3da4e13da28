// Package draw draws barcodes and small charts as SVG on the server.
//
// Why SVG drawn here rather than a chart library in the browser: the pages work without
// JavaScript and under a strict Content-Security-Policy (no inline scripts or styles, so
// colours are presentation attributes and classes that the pages' CSS may override); the
// drawings print sharply at any size; a barcode's bars stay on whole modules so a scanner
// reads it from screen or paper; and there is nothing to download or keep up to date.
//
// The package does no I/O and knows nothing of customers, invoices or languages: the caller
// passes the values, a money formatter and month names, and gets back markup ready to put
// in a template (template.HTML: every text that came in is escaped here) together with the
// figures it needs for a caption or an accessible data table.
package draw
