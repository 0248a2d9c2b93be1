package evidence

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFilenameBytes bounds a sanitised filename (most filesystems' limit).
const MaxFilenameBytes = 255

// fallbackFilename is used when nothing of the original name survives.
const fallbackFilename = "evidence"

// SanitizeFilename turns a client-supplied filename into one safe to store,
// show and offer for download: valid UTF-8; only the last path element (both
// '/' and '\' separate); no control, format (bidi overrides, zero-width) or
// line-separator characters; none of <>:"/\|?* (reserved on Windows); no
// leading or trailing dots and spaces; at most MaxFilenameBytes bytes,
// keeping the extension when it can. It never returns "", "." or "..".
func SanitizeFilename(name string) string {
	name = strings.ToValidUTF8(name, "_")
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r),
			r == utf8.RuneError:
			// dropped: CR, LF, NUL, bidi overrides, zero-width characters...
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.Trim(b.String(), " .")
	name = truncateName(name, MaxFilenameBytes)
	name = strings.Trim(name, " .")
	if name == "" {
		return fallbackFilename
	}
	return name
}

// truncateName cuts name to at most max bytes on a rune boundary, keeping a
// short extension.
func truncateName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > 16 || len(ext) >= max {
		ext = ""
	}
	base := name[:len(name)-len(ext)]
	cut := max - len(ext)
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	return base[:cut] + ext
}

// ContentDisposition returns an RFC 6266 "attachment" header value for the
// (sanitised) name: an ASCII quoted-string fallback (filename=) for old
// clients and the exact UTF-8 name percent-encoded per RFC 8187
// (the filename* parameter, charset UTF-8). The value is printable ASCII only: no CR, LF, or
// quote that could end the parameter or the header.
func ContentDisposition(name string) string {
	name = SanitizeFilename(name)
	var fb strings.Builder
	for _, r := range name {
		if r > 0x20 && r < 0x7f && r != '"' && r != '\\' && r != '%' && r != ';' || r == ' ' {
			fb.WriteRune(r)
		} else {
			fb.WriteByte('_')
		}
	}
	fallback := strings.Trim(fb.String(), " ")
	if fallback == "" {
		fallback = fallbackFilename
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + encodeRFC8187(name)
}

// encodeRFC8187 percent-encodes every byte that is not an attr-char.
func encodeRFC8187(s string) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
