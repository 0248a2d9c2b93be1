package evidence

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// Kinds are the kinds of evidence.
var Kinds = []string{"document", "photo", "video", "audio", "testimony", "medical_record",
	"court_document", "correspondence", "other"}

// Fields are the settable metadata of an item. Every field is a pointer:
// absent means "leave as is" (PATCH) or "empty" (upload). Fields nobody sets
// (id, hash, size, status, timestamps) are not here, so the strict JSON
// decoder rejects them.
type Fields struct {
	Title        *string   `json:"title"`
	Description  *string   `json:"description"`
	Kind         *string   `json:"kind"`
	Source       *string   `json:"source"`
	CapturedAt   *string   `json:"captured_at"`
	Language     *string   `json:"language"`
	Confidential *bool     `json:"confidential"`
	LinkedEvents *[]string `json:"linked_events"`
}

// Empty reports whether f sets nothing.
func (f Fields) Empty() bool {
	return f.Title == nil && f.Description == nil && f.Kind == nil && f.Source == nil &&
		f.CapturedAt == nil && f.Language == nil && f.Confidential == nil && f.LinkedEvents == nil
}

var languageTag = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$`)

const (
	maxTitle        = 300
	maxDescription  = 20000
	maxSource       = 2000
	maxLinkedEvents = 100
)

// apply validates f and writes it into it; it returns the changed fields
// (for the audit entry) or an ErrInvalid naming every bad field.
func (f Fields) apply(it *Item) (map[string]any, error) {
	bad := map[string]string{}
	ch := map[string]any{}
	text := func(name string, v *string, dst *string, max int, required bool) {
		if v == nil {
			return
		}
		s := strings.TrimSpace(*v)
		msg := record.CheckText(s, max)
		switch {
		case msg != "":
			bad[name] = msg
		case required && s == "":
			bad[name] = "required"
		default:
			if *dst != s {
				*dst = s
				ch[name] = s
			}
		}
	}
	text("title", f.Title, &it.Title, maxTitle, true)
	text("description", f.Description, &it.Description, maxDescription, false)
	text("source", f.Source, &it.Source, maxSource, false)
	if f.Kind != nil {
		k := strings.TrimSpace(*f.Kind)
		if k != "" && !contains(Kinds, k) {
			bad["kind"] = "one of " + strings.Join(Kinds, ", ")
		} else if it.Kind != k {
			it.Kind, ch["kind"] = k, k
		}
	}
	if f.CapturedAt != nil {
		s := strings.TrimSpace(*f.CapturedAt)
		if s == "" {
			if it.CapturedAt != "" {
				it.CapturedAt, it.CapturedAtSort, ch["captured_at"] = "", "", ""
			}
		} else if d, err := partialdate.Parse(s, time.UTC); err != nil {
			bad["captured_at"] = err.Error()
		} else if it.CapturedAt != d.String() {
			it.CapturedAt, it.CapturedAtSort, ch["captured_at"] = d.String(), d.SortKey(), d.String()
		}
	}
	if f.Language != nil {
		l := strings.TrimSpace(*f.Language)
		if l != "" && !languageTag.MatchString(l) {
			bad["language"] = "a BCP 47 language tag such as zh, zh-Hans, ug, en"
		} else if it.Language != l {
			it.Language, ch["language"] = l, l
		}
	}
	if f.Confidential != nil && it.Confidential != *f.Confidential {
		it.Confidential, ch["confidential"] = *f.Confidential, *f.Confidential
	}
	if f.LinkedEvents != nil {
		ev := *f.LinkedEvents
		ok := len(ev) <= maxLinkedEvents
		seen := map[string]bool{}
		out := record.JSONList[string]{}
		for _, e := range ev {
			if _, err := uuid.Parse(e); err != nil || len(e) != 36 {
				ok = false
				break
			}
			if !seen[e] {
				seen[e] = true
				out = append(out, strings.ToLower(e))
			}
		}
		if !ok {
			bad["linked_events"] = fmt.Sprintf("at most %d event ids (UUIDs)", maxLinkedEvents)
		} else if strings.Join(out, ",") != strings.Join(it.LinkedEvents, ",") {
			it.LinkedEvents, ch["linked_events"] = out, []string(out)
		}
	}
	if len(bad) > 0 {
		return nil, apperr.Invalid("validation_failed", "the request has invalid fields", bad)
	}
	return ch, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Validate checks upload metadata before any byte is stored (title required).
func (f Fields) Validate() error {
	var it Item
	if f.Title == nil {
		return apperr.Field("title", "required")
	}
	_, err := f.apply(&it)
	return err
}

// setForm sets the metadata field of an upload's form part name to v.
func (f *Fields) setForm(name, v string) error {
	switch name {
	case "title":
		f.Title = &v
	case "description":
		f.Description = &v
	case "kind":
		f.Kind = &v
	case "source":
		f.Source = &v
	case "captured_at":
		f.CapturedAt = &v
	case "language":
		f.Language = &v
	case "confidential":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return apperr.Field("confidential", "true or false")
		}
		f.Confidential = &b
	case "linked_events":
		var list []string
		if f.LinkedEvents != nil {
			list = *f.LinkedEvents
		}
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		f.LinkedEvents = &list
	default:
		if len(name) > 100 {
			name = name[:100]
		}
		return apperr.Invalid("unknown_field", "the upload has a field this endpoint does not take", map[string]string{name: "unknown field"})
	}
	return nil
}

// DeleteInput is the body of a soft delete.
type DeleteInput struct {
	Reason string `json:"reason"`
}

// ListInput selects a page of a case's items.
type ListInput struct {
	Cursor string
	Limit  int
}

// MaxPage is the largest page of items.
const MaxPage = 100
