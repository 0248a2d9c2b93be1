package lang

import (
	"context"
	"testing"
)

func TestParse(t *testing.T) {
	for h, want := range map[string]Lang{
		"":                             English,
		"zh":                           Chinese,
		"zh-CN,zh;q=0.9,en;q=0.8":      Chinese,
		"en-US,en;q=0.9,zh-CN;q=0.8":   English,
		"fr-FR,fr;q=0.9,zh-Hans;q=0.5": Chinese,
		"de":                           English,
		"en;q=0.2, zh-TW;q=0.7":        Chinese,
	} {
		if got := Parse(h); got != want {
			t.Errorf("Parse(%q) = %s, want %s", h, got, want)
		}
	}
	if From(context.Background()) != English || From(With(context.Background(), Chinese)) != Chinese {
		t.Error("context round trip")
	}
}
