package dossier

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

// The label tables are data: labels/ui.json holds every label of the
// documents in English and Chinese; the vocabularies' English labels come
// from the features that own them (Sources.Terms, passed by internal/app)
// and their Chinese labels from labels/vocab_zh.json, a copy of the web
// client's translations (a test keeps the two in step).
//
// labels/vocab_zh_more.json holds the Chinese labels of vocabularies the web
// client does not translate yet (international support), and
// labels/vocab_extra.json the English and Chinese labels of the custody,
// sentence and consent vocabularies, of the new event types (issue 19) and
// of the evidence kinds:
// its English label is used when Sources.Terms does not know the term, its
// Chinese label when the web client's table has none.
//
//go:embed labels/ui.json labels/vocab_zh.json labels/vocab_zh_more.json labels/vocab_extra.json
var labelFiles embed.FS

type pair struct {
	En string `json:"en"`
	Zh string `json:"zh"`
}

var (
	uiLabels    map[string]pair
	vocabZh     map[string]map[string]string
	vocabZhMore map[string]map[string]string
	vocabBoth   map[string]map[string]pair
)

func init() {
	must := func(name string, v any) {
		raw, err := labelFiles.ReadFile(name)
		if err == nil {
			err = json.Unmarshal(raw, v)
		}
		if err != nil {
			panic(fmt.Sprintf("dossier: label table %s: %v", name, err))
		}
	}
	must("labels/ui.json", &uiLabels)
	must("labels/vocab_zh.json", &vocabZh)
	must("labels/vocab_zh_more.json", &vocabZhMore)
	must("labels/vocab_extra.json", &vocabBoth)
}

// labeler translates labels and vocabulary terms into a document's language
// and remembers keys that have no label (a test asserts there are none).
type labeler struct {
	lang    Lang
	terms   TermLabels
	missing map[string]bool
}

func newLabeler(lang Lang, terms TermLabels) *labeler {
	return &labeler{lang: lang, terms: terms, missing: map[string]bool{}}
}

func (l *labeler) pair(key string) pair {
	p, ok := uiLabels[key]
	if !ok {
		l.missing[key] = true
		return pair{En: key, Zh: key}
	}
	return p
}

// en and zh return one language of a label.
func (l *labeler) en(key string) string { return l.pair(key).En }
func (l *labeler) zh(key string) string { return l.pair(key).Zh }

// get returns the label in the document's language; bilingual documents
// get "English / 中文" (one form when both are the same).
func (l *labeler) get(key string) string {
	p := l.pair(key)
	return l.join(p.En, p.Zh)
}

func (l *labeler) join(en, zh string) string {
	switch l.lang {
	case Chinese:
		return zh
	case Bilingual:
		if en == zh || zh == "" {
			return en
		}
		if en == "" {
			return zh
		}
		return en + " / " + zh
	default:
		return en
	}
}

// texts returns the label as separate paragraphs: one, or English then
// Chinese for a bilingual document (long notices).
func (l *labeler) texts(key string) []string {
	p := l.pair(key)
	switch l.lang {
	case Chinese:
		return []string{p.Zh}
	case Bilingual:
		return []string{p.En, p.Zh}
	default:
		return []string{p.En}
	}
}

// bi is a text given in both languages, for format.
type bi struct{ en, zh string }

// format fills a label holding fmt verbs, per language: a Term argument is
// translated and a bi argument takes the text of each language, so a
// bilingual line never mixes languages inside one half.
func (l *labeler) format(key string, args ...any) string {
	p := l.pair(key)
	en, zh := make([]any, len(args)), make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Term:
			en[i], zh[i] = l.termPair(v)
		case bi:
			en[i], zh[i] = v.en, v.zh
		default:
			en[i], zh[i] = a, a
		}
	}
	return l.join(fmt.Sprintf(p.En, en...), fmt.Sprintf(p.Zh, zh...))
}

// biLabel is a label in both languages, as a format argument.
func (l *labeler) biLabel(key string) bi {
	p := l.pair(key)
	return bi{p.En, p.Zh}
}

// termPair returns the English and Chinese labels of a vocabulary term; an
// unknown term is shown as its value made readable.
func (l *labeler) termPair(t Term) (string, string) {
	if t.Value == "" {
		return "", ""
	}
	en := strings.ReplaceAll(t.Value, "_", " ")
	both, hasBoth := vocabBoth[t.Vocab][t.Value]
	if hasBoth {
		en = both.En
	}
	if l.terms != nil {
		if label, ok := l.terms(t.Vocab, t.Value); ok {
			en = label
		}
	}
	zh := en
	if hasBoth {
		zh = both.Zh
	}
	for _, m := range []map[string]map[string]string{vocabZh, vocabZhMore} {
		if v := m[t.Vocab][t.Value]; v != "" {
			zh = v
		}
	}
	return en, zh
}

// term returns a vocabulary term in the document's language.
func (l *labeler) term(t Term) string {
	en, zh := l.termPair(t)
	return l.join(en, zh)
}
