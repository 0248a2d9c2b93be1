package evidence

import (
	"mime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeFilename(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{"../../etc/passwd\r\nX: y", "passwdX_ y"},
		{`C:\Users\a\photo.jpg`, "photo.jpg"},
		{"..", "evidence"},
		{"", "evidence"},
		{"/", "evidence"},
		{".hidden", "hidden"},
		{"trailing. . ", "trailing"},
		{"ab\u202Egpj.exe", "abgpj.exe"},
		{"zero\u200Bwidth.txt", "zerowidth.txt"},
		{"a\tb\x00c.txt", "abc.txt"},
		{"quote\"s.txt", "quote_s.txt"},
		{"判决书 2019.pdf", "判决书 2019.pdf"},
		{"bad\xffutf8.doc", "bad_utf8.doc"},
		{strings.Repeat("长", 100) + ".pdf", strings.Repeat("长", 83) + ".pdf"},
	} {
		if got := SanitizeFilename(tc.in); got != tc.want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"report.pdf", `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`},
		{"../../etc/passwd\r\nX: y", `attachment; filename="passwdX_ y"; filename*=UTF-8''passwdX_%20y`},
		{"判决书.pdf", `attachment; filename="___.pdf"; filename*=UTF-8''%E5%88%A4%E5%86%B3%E4%B9%A6.pdf`},
		{`50% off; "x".txt`, `attachment; filename="50_ off_ _x_.txt"; filename*=UTF-8''50%25%20off%3B%20_x_.txt`},
	} {
		if got := ContentDisposition(tc.in); got != tc.want {
			t.Errorf("ContentDisposition(%q) =\n  %s\nwant\n  %s", tc.in, got, tc.want)
		}
		checkDisposition(t, tc.in)
	}
}

// checkDisposition asserts the properties every header value must have.
func checkDisposition(t *testing.T, name string) {
	t.Helper()
	clean := SanitizeFilename(name)
	if !utf8.ValidString(clean) || clean == "" || clean == "." || clean == ".." ||
		strings.ContainsAny(clean, "/\\\r\n\x00\"") || len(clean) > MaxFilenameBytes {
		t.Fatalf("SanitizeFilename(%q) = %q: unsafe", name, clean)
	}
	if again := SanitizeFilename(clean); again != clean {
		t.Fatalf("SanitizeFilename not idempotent: %q -> %q -> %q", name, clean, again)
	}
	h := ContentDisposition(name)
	for i := 0; i < len(h); i++ {
		if h[i] < 0x20 || h[i] > 0x7e {
			t.Fatalf("ContentDisposition(%q) has byte %#x at %d: %q", name, h[i], i, h)
		}
	}
	disp, params, err := mime.ParseMediaType(h)
	if err != nil {
		t.Fatalf("ContentDisposition(%q) = %q does not parse: %v", name, h, err)
	}
	if disp != "attachment" || len(params) != 1 {
		t.Fatalf("ContentDisposition(%q) = %q parsed as %q %v", name, h, disp, params)
	}
	if params["filename"] != clean { // mime prefers filename* and decodes it
		t.Fatalf("ContentDisposition(%q): filename* decodes to %q, want %q", name, params["filename"], clean)
	}
}

func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"a.pdf", "../../etc/passwd\r\nX: y", "判决书.pdf", "\u202E", "%00", `"; filename="x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) { checkDisposition(t, name) })
}
