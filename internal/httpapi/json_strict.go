package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/habeas-org/habeas/internal/apperr"
)

// Strict JSON (issue 22). encoding/json matches object keys to struct
// fields case-insensitively (also under Unicode case folding: "ſ" matches
// "s", "K" (Kelvin) matches "k"), keeps the last of repeated keys and
// replaces invalid UTF-8 and lone UTF-16 surrogate escapes with U+FFFD. A
// proxy, a validator or an audit reader could then read a body otherwise
// than the server. checkStrictJSON refuses all of these before the body is
// decoded: keys must be spelled exactly as the input type declares them,
// no object may repeat a key (after unescaping), and the body must be valid
// UTF-8 without lone surrogate escapes.

// maxJSONDepth bounds the nesting the strict check follows; encoding/json
// refuses deeper bodies too.
const maxJSONDepth = 10000

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// errNotJSON stops the strict check at a syntax error; the decoder then
// reports it.
var errNotJSON = errors.New("not JSON")

// checkStrictJSON applies the strict rules to body, read into a value of
// type t. It returns an apperr error naming the offending key (by its path,
// e.g. other_names[0].kind), or nil; a syntax error is left to the decoder
// (nil).
func checkStrictJSON(body []byte, t reflect.Type) error {
	if !utf8.Valid(body) || hasLoneSurrogate(body) {
		return apperr.New(apperr.ErrInvalid, "invalid_utf8", "the body is not valid UTF-8 (or escapes a lone UTF-16 surrogate)")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	w := strictWalker{dec: dec}
	if err := w.value(t, "", 0); err != nil && !errors.Is(err, errNotJSON) {
		return err
	}
	return nil
}

type strictWalker struct{ dec *json.Decoder }

// value reads one JSON value, expected to decode into t (nil: any value,
// whose keys are free but may not repeat).
func (w *strictWalker) value(t reflect.Type, path string, depth int) error {
	if depth > maxJSONDepth {
		return apperr.New(apperr.ErrInvalid, "invalid_json", "the body is nested too deeply")
	}
	tok, err := w.dec.Token()
	if err != nil {
		return errNotJSON
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	t = shapeOf(t)
	switch d {
	case '{':
		return w.object(t, path, depth)
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(elem, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
		if _, err := w.dec.Token(); err != nil {
			return errNotJSON
		}
		return nil
	}
	return errNotJSON
}

// object reads the members of an object expected to decode into t.
func (w *strictWalker) object(t reflect.Type, path string, depth int) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t == nil:
	case t.Kind() == reflect.Struct:
		fields = structFields(t)
	case t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	// Any other t is a type mismatch, which the decoder reports: keys free.
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return errNotJSON
		}
		key, ok := tok.(string)
		if !ok {
			return errNotJSON
		}
		p := jsonPath(path, key)
		if seen[key] {
			return apperr.Invalid("duplicate_key", "the body repeats a key", map[string]string{p: "repeated key: send each key once"})
		}
		seen[key] = true
		vt := elem
		if fields != nil {
			ft, known := fields[key]
			if !known {
				return unknownKey(p, key, fields)
			}
			vt = ft
		}
		if err := w.value(vt, p, depth+1); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil {
		return errNotJSON
	}
	return nil
}

// unknownKey is the 400 for a key the type does not declare; when it
// differs from a declared key only in case, the message says so.
func unknownKey(path, key string, fields map[string]reflect.Type) error {
	msg := "unknown field"
	for name := range fields {
		if strings.EqualFold(name, key) {
			msg = `unknown field: keys are case-sensitive, did you mean "` + name + `"?`
			break
		}
	}
	return apperr.Invalid("unknown_field", "the body has a field this endpoint does not take", map[string]string{path: msg})
}

// jsonPath names a member: key at the top, parent.key below.
func jsonPath(parent, key string) string {
	key = strings.ReplaceAll(key, "\x00", `\u0000`)
	if len(key) > 100 {
		key = strings.ToValidUTF8(key[:100], "")
	}
	if key == "" {
		key = `""`
	}
	if parent == "" {
		return key
	}
	p := parent + "." + key
	if len(p) > 200 {
		p = strings.ToValidUTF8(p[:200], "")
	}
	return p
}

// shapeOf is the type whose shape (struct, map, slice) the JSON value is
// read into: t without pointers; nil for a free value (an interface) or a
// type that decodes itself (json.Unmarshaler, encoding.TextUnmarshaler).
func shapeOf(t reflect.Type) reflect.Type {
	for t != nil {
		if t.Kind() == reflect.Interface || t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) ||
			t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
			return nil
		}
		if t.Kind() != reflect.Pointer {
			return t
		}
		t = t.Elem()
	}
	return nil
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// structFields are the JSON keys of struct type t, exactly as encoding/json
// writes them, with their types: tagged names, untagged exported fields by
// their Go names, fields of embedded structs promoted (a shallower field
// wins), json:"-" left out.
func structFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	out := map[string]reflect.Type{}
	depthOf := map[string]int{}
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous && name == "" {
				et := ft
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					walk(et, depth+1)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if d, dup := depthOf[name]; dup && d <= depth {
				continue
			}
			out[name], depthOf[name] = ft, depth
		}
	}
	walk(t, 0)
	fieldCache.Store(t, out)
	return out
}

// hasLoneSurrogate reports whether a string of the JSON text body escapes
// a UTF-16 surrogate that is not half of a pair (\ud800 alone, \udc00
// first): encoding/json would decode it as U+FFFD.
func hasLoneSurrogate(body []byte) bool {
	inString := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\':
			if i+1 < len(body) && body[i+1] == 'u' {
				r, ok := hex4(body, i+2)
				switch {
				case !ok:
				case r >= 0xDC00 && r <= 0xDFFF:
					return true
				case r >= 0xD800 && r <= 0xDBFF:
					lo, ok := rune(0), false
					if i+7 < len(body) && body[i+6] == '\\' && body[i+7] == 'u' {
						lo, ok = hex4(body, i+8)
					}
					if !ok || lo < 0xDC00 || lo > 0xDFFF {
						return true
					}
					i += 6 // the low half is checked here; skip it
				}
				i += 5
				continue
			}
			i++ // the escaped character
		}
	}
	return false
}

// hex4 reads the four hex digits of a \u escape at body[i:].
func hex4(body []byte, i int) (rune, bool) {
	if i+4 > len(body) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(body[i:i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}
