// Package labels serves the Chinese labels of the controlled vocabularies,
// vocab_zh.json: a copy of the web client's zh-Hans vocabulary section
// (internal/dossier's test keeps the two in step). internal/dossier embeds
// the same files for its documents; internal/cases reads them here to accept
// a Chinese label as input for its term (the package has no dependencies, so
// any package may use it).
package labels

import (
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed vocab_zh.json vocab_zh_more.json
var files embed.FS

// VocabZh returns the Chinese label of each term, by vocabulary name and
// term value (vocab_zh.json, then vocab_zh_more.json for the vocabularies
// the web client does not translate yet). The maps are fresh: the caller may
// keep or change them.
func VocabZh() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, name := range []string{"vocab_zh.json", "vocab_zh_more.json"} {
		raw, err := files.ReadFile(name)
		var m map[string]map[string]string
		if err == nil {
			err = json.Unmarshal(raw, &m)
		}
		if err != nil {
			panic(fmt.Sprintf("labels: %s: %v", name, err)) // embedded at build time: a broken file is a build defect
		}
		for vocab, terms := range m {
			if out[vocab] == nil {
				out[vocab] = map[string]string{}
			}
			for value, label := range terms {
				if _, dup := out[vocab][value]; !dup {
					out[vocab][value] = label
				}
			}
		}
	}
	return out
}
