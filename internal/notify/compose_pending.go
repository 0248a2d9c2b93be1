package notify

import (
	"fmt"
)

// PENDING (replaced at the merge of the e-mail helper's text and render packages).
func (s *Service) composeMail(lang string, items []MailItem, digest bool) Mail {
	n := 0
	for _, it := range items {
		n += it.Count
	}
	return Mail{Language: lang, Subject: fmt.Sprintf("%d notifications need attention in Habeas", n), Text: s.link("/inbox")}
}

func (s *Service) hookText(rule Rule, count int, subjects []string) string {
	return fmt.Sprintf("%d %s", count, rule)
}

func (s *Service) testMail(lang string) Mail {
	return Mail{Language: lang, Subject: "Habeas test", Text: "test"}
}
