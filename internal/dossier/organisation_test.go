package dossier

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestOrganisationInMetadata: the organisation an instance names
// (HABEAS_ORGANISATION) is the author and creator of the PDF dossier and of
// the editable WGAD draft, escaped in the ODT's XML, and never the exporting
// user.
func TestOrganisationInMetadata(t *testing.T) {
	const org = "Rights & Defence Network 维权网"
	doc := sample(Bilingual, External)
	doc.Organisation = org
	path, _ := compose(t, doc)
	info := run(t, "pdfinfo", path)
	for _, w := range []string{"Author:          " + org, "Creator:         " + org} {
		if !strings.Contains(info, w) {
			t.Errorf("PDF metadata lacks %q:\n%s", w, info)
		}
	}
	if strings.Contains(info, "coordinator@example.org") {
		t.Errorf("the PDF metadata names the exporting user:\n%s", info)
	}

	doc = sample(Bilingual, External)
	doc.Kind = KindWGAD
	doc.Organisation = org
	odt, err := ComposeODT(doc, testFonts(t), testTerms)
	if err != nil {
		t.Fatalf("compose odt: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(odt), int64(len(odt)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	if len(zr.File) == 0 {
		t.Fatal("empty ODT")
	}
	meta := []byte(odtMeta(t, odt))
	const escaped = "Rights &amp; Defence Network 维权网"
	for _, w := range []string{"<meta:initial-creator>" + escaped + "</meta:initial-creator>", "<dc:creator>" + escaped + "</dc:creator>"} {
		if !bytes.Contains(meta, []byte(w)) {
			t.Errorf("meta.xml lacks %s:\n%s", w, meta)
		}
	}
	if bytes.Contains(meta, []byte("coordinator")) {
		t.Errorf("meta.xml names a person:\n%s", meta)
	}

	// No organisation set: "Habeas".
	got, err := WriteODT(nil, doc.GeneratedAt, "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(odtMeta(t, got), "<dc:creator>Habeas</dc:creator>") {
		t.Error("an unnamed organisation is not written as Habeas")
	}
}

// odtMeta is the text of an ODT's meta.xml.
func odtMeta(t *testing.T, odt []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(odt), int64(len(odt)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "meta.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return string(b)
		}
	}
	t.Fatal("no meta.xml")
	return ""
}
