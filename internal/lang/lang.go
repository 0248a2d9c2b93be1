// Package lang carries the language of a request (English or Simplified
// Chinese) through its context, so that the texts a feature writes into a
// response (time-limit titles, notes and citations; the derivation of an
// expected release date) follow the caller's language. internal/httpapi sets
// it from the Accept-Language header.
package lang

import (
	"context"
	"strconv"
	"strings"
)

// Lang is a response language.
type Lang string

// Languages.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

type key struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l Lang) context.Context { return context.WithValue(ctx, key{}, l) }

// From is the language ctx carries; English when none.
func From(ctx context.Context) Lang {
	if l, ok := ctx.Value(key{}).(Lang); ok && l != "" {
		return l
	}
	return English
}

// Parse reads an Accept-Language header (or a bare tag such as "zh-CN"):
// the first language range, by q-value, that is Chinese or English decides;
// anything else is English.
func Parse(header string) Lang {
	best, bestQ := English, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				q = n
			}
		}
		var l Lang
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			l = Chinese
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			l = English
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}
