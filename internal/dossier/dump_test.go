package dossier

import (
	"os"
	"testing"
)

// TestDump writes sample documents to $HABEAS_DOSSIER_DUMP (to look at them).
func TestDump(t *testing.T) {
	dir := os.Getenv("HABEAS_DOSSIER_DUMP")
	if dir == "" {
		return
	}
	for name, d := range map[string]*Document{"bilingual-internal": sample(Bilingual, Internal), "zh-external": sample(Chinese, External), "en-external": sample(English, External)} {
		p, err := Compose(d, testFonts(t))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := os.Create(dir + "/" + name + ".pdf")
		p.WriteTo(f)
		f.Close()
	}
	w := sample(Bilingual, External)
	w.Kind = KindWGAD
	p, _ := Compose(w, testFonts(t))
	f, _ := os.Create(dir + "/wgad.pdf")
	p.WriteTo(f)
	f.Close()
}
