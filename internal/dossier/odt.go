package dossier

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"
)

// The editable WGAD draft (issue 25): the same blocks the PDF draws, in
// the order it draws them, written as an OpenDocument text file (ODT) with
// archive/zip and encoding/xml, no other library. Petitions are edited by
// hand before filing, so the file is plain paragraphs, headings, label /
// value paragraphs, framed notices and tables, with the gaps
// ([TO COMPLETE: ...]) in red.

// BlockKind is the kind of a recorded block.
type BlockKind string

// Kinds of blocks.
const (
	BlockHeading    BlockKind = "heading"
	BlockSubheading BlockKind = "subheading"
	BlockPara       BlockKind = "para"
	BlockField      BlockKind = "field"
	BlockNotice     BlockKind = "notice"
	BlockTable      BlockKind = "table"
)

// Block is one block of a document as the renderer drew it.
type Block struct {
	Kind  BlockKind
	Text  string
	Label string
	Bold  bool
	Large bool
	ToDo  bool
	// Texts are a notice's paragraphs, or a table's column labels.
	Texts []string
	Rows  [][]string
}

// ODTMediaType is the media type of an OpenDocument text file.
const ODTMediaType = "application/vnd.oasis.opendocument.text"

// ComposeODT lays out doc as Compose does and returns the blocks drawn as
// an ODT file (same fonts check: the content is the PDF's).
func ComposeODT(doc *Document, fonts *Fonts, terms TermLabels) ([]byte, error) {
	if err := Require(doc, fonts); err != nil {
		return nil, err
	}
	r := newRenderer(doc, fonts, terms)
	var blocks []Block
	r.rec = &blocks
	switch doc.Kind {
	case KindWGAD:
		r.wgad()
	default:
		r.dossier()
	}
	if err := r.pdf.Error(); err != nil {
		return nil, fmt.Errorf("dossier: compose odt: %w", err)
	}
	return WriteODT(blocks, doc.GeneratedAt, doc.Organisation)
}

// WriteODT writes blocks as an ODT file: the mimetype entry first and
// stored (uncompressed), as OpenDocument requires, then the manifest,
// styles, meta and content. org names the organisation in the metadata
// (empty: DefaultOrganisation); the metadata never names a person.
func WriteODT(blocks []Block, at time.Time, org string) ([]byte, error) {
	if org = strings.TrimSpace(org); org == "" {
		org = DefaultOrganisation
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, method uint16, body string) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: at})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, body)
		return err
	}
	content := odtContent(blocks)
	files := []struct {
		name   string
		method uint16
		body   string
	}{
		{"mimetype", zip.Store, ODTMediaType},
		{"META-INF/manifest.xml", zip.Deflate, odtManifest},
		{"styles.xml", zip.Deflate, odtStyles},
		// The generator and the organisation, never a person (issue 25:
		// metadata names no one).
		{"meta.xml", zip.Deflate, xml.Header + `<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta><meta:generator>Habeas</meta:generator><meta:initial-creator>` +
			xmlText(org) + `</meta:initial-creator><dc:creator>` + xmlText(org) + `</dc:creator><meta:creation-date>` +
			at.UTC().Format("2006-01-02T15:04:05") + `</meta:creation-date></office:meta></office:document-meta>`},
		{"content.xml", zip.Deflate, content},
	}
	// The mimetype entry is written raw: stored, no extra field, no data
	// descriptor, so that "mimetype" + the media type sit at fixed offsets
	// (how tools recognise an OpenDocument file).
	mt := &zip.FileHeader{Name: "mimetype", Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(ODTMediaType)),
		CompressedSize64: uint64(len(ODTMediaType)), UncompressedSize64: uint64(len(ODTMediaType))}
	w, err := zw.CreateRaw(mt)
	if err == nil {
		_, err = io.WriteString(w, ODTMediaType)
	}
	if err != nil {
		return nil, fmt.Errorf("dossier: odt mimetype: %w", err)
	}
	for _, f := range files[1:] {
		if err := put(f.name, f.method, f.body); err != nil {
			return nil, fmt.Errorf("dossier: odt %s: %w", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("dossier: odt: %w", err)
	}
	return buf.Bytes(), nil
}

// xmlText is s escaped for XML text on one line (line breaks as spaces).
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(strings.Join(strings.Fields(s), " ")))
	return b.String()
}

// esc is s escaped for XML text, with its line breaks as <text:line-break/>.
func esc(s string) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("<text:line-break/>")
		}
		_ = xml.EscapeText(&b, []byte(line))
	}
	return b.String()
}

// todoMarked reports whether a paragraph is a gap to fill in.
func todoMarked(s string) bool {
	return strings.Contains(s, "[TO COMPLETE") || strings.Contains(s, "[待补充")
}

func odtContent(blocks []Block) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
		`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
		`office:version="1.3"><office:body><office:text>`)
	p := func(style, text string) {
		if todoMarked(text) && style == "Body" {
			style = "ToDo"
		}
		b.WriteString(`<text:p text:style-name="` + style + `">` + esc(text) + `</text:p>`)
	}
	for _, bl := range blocks {
		switch bl.Kind {
		case BlockHeading:
			b.WriteString(`<text:h text:style-name="Heading_20_1" text:outline-level="1">` + esc(bl.Text) + `</text:h>`)
		case BlockSubheading:
			b.WriteString(`<text:h text:style-name="Heading_20_2" text:outline-level="2">` + esc(bl.Text) + `</text:h>`)
		case BlockPara:
			switch {
			case bl.Large:
				p("Title", bl.Text)
			case bl.Bold:
				p("Strong", bl.Text)
			default:
				p("Body", bl.Text)
			}
		case BlockField:
			style := "Value"
			if bl.ToDo || todoMarked(bl.Text) {
				style = "ToDoValue"
			}
			b.WriteString(`<text:p text:style-name="Label">` + esc(bl.Label) + `</text:p>`)
			b.WriteString(`<text:p text:style-name="` + style + `">` + esc(bl.Text) + `</text:p>`)
		case BlockNotice:
			for _, t := range bl.Texts {
				p("Notice", t)
			}
		case BlockTable:
			n := len(bl.Texts)
			b.WriteString(`<table:table><table:table-column table:number-columns-repeated="` + fmt.Sprint(n) + `"/>`)
			row := func(cells []string, style string) {
				b.WriteString(`<table:table-row>`)
				for _, c := range cells {
					b.WriteString(`<table:table-cell office:value-type="string"><text:p text:style-name="` + style + `">` + esc(c) + `</text:p></table:table-cell>`)
				}
				b.WriteString(`</table:table-row>`)
			}
			b.WriteString(`<table:table-header-rows>`)
			row(bl.Texts, "Strong")
			b.WriteString(`</table:table-header-rows>`)
			for _, r := range bl.Rows {
				row(r, "Body")
			}
			b.WriteString(`</table:table>`)
		}
	}
	b.WriteString(`</office:text></office:body></office:document-content>`)
	return b.String()
}

const odtManifest = xml.Header + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
	`<manifest:file-entry manifest:full-path="/" manifest:media-type="` + ODTMediaType + `"/>` +
	`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
	`<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>` +
	`<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>` +
	`</manifest:manifest>`

const odtStyles = xml.Header + `<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"><office:styles>` +
	`<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.15cm"/><style:text-properties fo:font-size="11pt"/></style:style>` +
	`<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.3cm"/><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>` +
	`<style:style style:name="Strong" style:family="paragraph"><style:text-properties fo:font-size="11pt" fo:font-weight="bold"/></style:style>` +
	`<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.2cm"/><style:text-properties fo:font-size="15pt" fo:font-weight="bold" fo:color="#14285a"/></style:style>` +
	`<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm"/><style:text-properties fo:font-size="12pt" fo:font-weight="bold"/></style:style>` +
	`<style:style style:name="Label" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.15cm"/><style:text-properties fo:font-size="9pt" fo:font-weight="bold" fo:color="#5a5a5a"/></style:style>` +
	`<style:style style:name="Value" style:family="paragraph"><style:paragraph-properties fo:margin-left="0.5cm"/><style:text-properties fo:font-size="11pt"/></style:style>` +
	`<style:style style:name="ToDoValue" style:family="paragraph"><style:paragraph-properties fo:margin-left="0.5cm"/><style:text-properties fo:font-size="11pt" fo:color="#aa1414"/></style:style>` +
	`<style:style style:name="ToDo" style:family="paragraph"><style:text-properties fo:font-size="11pt" fo:color="#aa1414"/></style:style>` +
	`<style:style style:name="Notice" style:family="paragraph"><style:paragraph-properties fo:background-color="#fdf0f0" fo:padding="0.2cm" fo:border="0.5pt solid #aa1414"/><style:text-properties fo:font-size="11pt"/></style:style>` +
	`</office:styles></office:document-styles>`
