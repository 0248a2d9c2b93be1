package names

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"github.com/mozillazg/go-pinyin"
)

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && isHan(r) {
			return true
		}
	}
	return false
}

var (
	t2sOnce sync.Once
	t2sConv *opencc.OpenCC
)

// toSimplified converts traditional characters to simplified ones with
// OpenCC's t2s tables (TSPhrases, then TSCharacters), repeated until the
// text no longer changes so that the fold stays idempotent (OpenCC's
// tables hold a few chains, such as 薴 -> 苧 -> 苎). The converter is built
// once, on first use; it only reads its tables afterwards, so it is safe
// for concurrent use.
func toSimplified(s string) string {
	t2sOnce.Do(func() {
		cc, err := opencc.New("t2s")
		if err != nil {
			// The tables are embedded in the library: failing here is a
			// broken build, and folding without them would index keys
			// that queries can never match.
			panic(fmt.Errorf("names: load OpenCC t2s tables: %w", err))
		}
		t2sConv = cc
	})
	for i := 0; i < 4; i++ {
		out, err := t2sConv.Convert(s)
		if err != nil || out == s {
			return s
		}
		s = out
	}
	return s
}

// pinyinCache maps a Chinese character to its toneless pinyin reading,
// already folded (ü -> u): go-pinyin's style code runs regular
// expressions, so each character is converted once.
var pinyinCache sync.Map // rune -> string

var pinyinArgs = pinyin.Args{Style: pinyin.Normal, Fallback: func(rune, pinyin.Args) []string { return nil }}

// readingOf returns the toneless, folded pinyin of the Chinese character r
// (its most common reading, go-pinyin's first), or "" when go-pinyin has
// none.
func readingOf(r rune) string {
	if v, ok := pinyinCache.Load(r); ok {
		return v.(string)
	}
	py := pinyin.SinglePinyin(r, pinyinArgs)
	s := ""
	if len(py) > 0 {
		s = Fold(py[0])
	}
	pinyinCache.Store(r, s)
	return s
}

// surnameReadings are the readings of characters whose reading as a
// surname differs from their most common one (曾 is zeng as a surname,
// ceng otherwise). Simplified characters: keys are folded first.
var surnameReadings = map[rune]string{
	'单': "shan", '曾': "zeng", '区': "ou", '仇': "qiu", '解': "xie",
	'朴': "piao", '查': "zha", '乐': "yue", '盖': "ge", '缪': "miao",
	'翟': "zhai", '覃': "qin", '秘': "bi", '种': "chong", '员': "yun",
	'召': "shao", '繁': "po", '句': "gou", '阚': "kan", '隗': "wei",
	'薄': "bo", '都': "du", '长': "chang", '能': "nai",
}

// compoundSurnames are the two-character surnames, with their readings
// as surnames.
var compoundSurnames = map[string]string{
	"欧阳": "ouyang", "司马": "sima", "诸葛": "zhuge", "上官": "shangguan",
	"令狐": "linghu", "皇甫": "huangfu", "宇文": "yuwen", "夏侯": "xiahou",
	"公孙": "gongsun", "东方": "dongfang", "西门": "ximen", "慕容": "murong",
	"司徒": "situ", "司空": "sikong", "轩辕": "xuanyuan", "钟离": "zhongli",
	"闻人": "wenren", "南宫": "nangong", "百里": "baili", "呼延": "huyan",
	"端木": "duanmu", "申屠": "shentu", "拓跋": "tuoba", "独孤": "dugu",
	"贺兰": "helan", "第五": "diwu", "太史": "taishi", "羊舌": "yangshe",
	"赫连": "helian", "濮阳": "puyang", "淳于": "chunyu", "公冶": "gongye",
	"宗政": "zongzheng", "仲孙": "zhongsun", "亓官": "qiguan", "司寇": "sikou",
	"颛孙": "zhuansun", "巫马": "wuma", "公西": "gongxi", "漆雕": "qidiao",
	"壤驷": "rangsi", "公良": "gongliang", "谷梁": "guliang", "段干": "duangan",
	"左丘": "zuoqiu", "东郭": "dongguo", "梁丘": "liangqiu", "公羊": "gongyang",
	"万俟": "moqi", "尉迟": "yuchi", "长孙": "zhangsun", "澹台": "tantai",
	"单于": "chanyu", "子车": "ziju", "乐正": "yuezheng", "完颜": "wanyan",
}

// pinyinOf writes the toneless pinyin of the folded text s: each Chinese
// character becomes its reading, everything else is kept.
func pinyinOf(b *strings.Builder, s string) {
	for _, r := range s {
		if r >= 0x2E80 && isHan(r) {
			b.WriteString(readingOf(r))
			continue
		}
		b.WriteRune(r)
	}
}

// splitSurname splits a folded all-Chinese name into surname and given
// name, with the surname's reading: a compound surname when the name
// starts with one and has a given name after it, else the first character.
func splitSurname(key string) (reading, given string) {
	first, n := utf8.DecodeRuneInString(key)
	if len(key) > n {
		_, m := utf8.DecodeRuneInString(key[n:])
		if len(key) > n+m {
			if rd, ok := compoundSurnames[key[:n+m]]; ok {
				return rd, key[n+m:]
			}
		}
	}
	if rd, ok := surnameReadings[first]; ok {
		return rd, key[n:]
	}
	return readingOf(first), key[n:]
}

// surnameWord returns the reading of a word written apart as a surname
// (曾 in "曾 志"), or "" when the word is not a surname whose reading
// differs from the common one.
func surnameWord(word string) string {
	if rd, ok := compoundSurnames[word]; ok {
		return rd
	}
	r, n := utf8.DecodeRuneInString(word)
	if n == len(word) {
		return surnameReadings[r]
	}
	return ""
}

// allHan reports whether every character of s is Chinese.
func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}

// hanKeys returns the pinyin keys of a name form holding Chinese
// characters: surname first and given name first. parts are the folded
// words of the name as written (split at its separators). A single word
// of Chinese characters (刘贤斌) is split after its surname (compound
// surnames included); a name written in several words (刘 贤斌, or a
// transliterated foreign name such as 伊力哈木·土赫提) is taken in its
// written order and with its first word moved to the end.
func hanKeys(parts []string) []string {
	var b strings.Builder
	if len(parts) == 1 {
		p := parts[0]
		if !allHan(p) || len([]rune(p)) < 2 {
			pinyinOf(&b, p)
			return []string{b.String()}
		}
		rd, given := splitSurname(p)
		var g strings.Builder
		pinyinOf(&g, given)
		return []string{rd + g.String(), g.String() + rd}
	}
	var first strings.Builder
	if rd := surnameWord(parts[0]); rd != "" {
		first.WriteString(rd)
	} else {
		pinyinOf(&first, parts[0])
	}
	for _, p := range parts[1:] {
		pinyinOf(&b, p)
	}
	rest := b.String()
	return []string{first.String() + rest, rest + first.String()}
}
