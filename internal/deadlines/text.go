package deadlines

import (
	"fmt"

	"github.com/habeas-org/habeas/internal/lang"
)

// ruleTexts is a rule's title, article, wording and known uncertainty.
type ruleTexts struct {
	Title, Basis, Wording, Uncertainty string
}

// ruleText is the texts of rule id in l (English when l has none).
func ruleText(id string, l lang.Lang) ruleTexts {
	if l == lang.Chinese {
		if t, ok := rulesZH[id]; ok {
			return t
		}
	}
	return rulesEN[id]
}

// msg formats the message key in l (English when l has none).
func msg(l lang.Lang, key string, args ...any) string {
	format, ok := messagesEN[key]
	if l == lang.Chinese {
		if zh, found := messagesZH[key]; found {
			format, ok = zh, true
		}
	}
	if !ok {
		return key
	}
	for i, a := range args {
		if s, isStringer := a.(fmt.Stringer); isStringer {
			args[i] = s.String()
		}
	}
	return fmt.Sprintf(format, args...)
}

// factName is the readable name of a key date, event type or period start in l.
func factName(l lang.Lang, name string) string {
	if l == lang.Chinese {
		if s, ok := factsZH[name]; ok {
			return s
		}
	}
	if s, ok := factsEN[name]; ok {
		return s
	}
	return name
}
