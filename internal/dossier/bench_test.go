package dossier

import (
	"io"
	"testing"
)

// BenchmarkDossierLarge composes and writes the bilingual internal dossier
// of a case with 1,000 events, 50 hearings and 300 evidence items
// (scripts/bench/dossier.sh runs it in a process of its own for peak RSS).
func BenchmarkDossierLarge(b *testing.B) {
	fonts := testFonts(b)
	doc := large(1000, 50, 300)
	b.ReportAllocs()
	var pages int
	var size int64
	for b.Loop() {
		p, err := Compose(doc, fonts, testTerms)
		if err != nil {
			b.Fatal(err)
		}
		if size, err = p.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		pages = p.Report.Pages
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size), "pdf-bytes")
}

// BenchmarkFontsOnly is the baseline process: it loads the fonts and
// composes nothing.
func BenchmarkFontsOnly(b *testing.B) {
	testFonts(b)
	for b.Loop() {
	}
}
