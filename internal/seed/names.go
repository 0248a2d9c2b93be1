package seed

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name tables. Han names are built from common surnames and given-name
// characters, each with its traditional form and tone-less pinyin; Uyghur
// names are a given name and the father's name (Latin and Arabic script,
// with the Chinese transliteration used in PRC documents); Tibetan names are
// two elements (Tibetan script, Wylie, phonetic Latin and Chinese).

// hanChar is one character: simplified, traditional, pinyin, sex (m, f or n).
type hanChar struct {
	simp, trad, pinyin string
	sex                byte
}

// parseHan reads "王王wang 张張zhang:f ..." into characters.
func parseHan(s string) []hanChar {
	var out []hanChar
	for _, f := range strings.Fields(s) {
		sex := byte('n')
		if i := strings.IndexByte(f, ':'); i > 0 {
			sex, f = f[i+1], f[:i]
		}
		r1, n1 := utf8.DecodeRuneInString(f)
		r2, n2 := utf8.DecodeRuneInString(f[n1:])
		out = append(out, hanChar{simp: string(r1), trad: string(r2), pinyin: f[n1+n2:], sex: sex})
	}
	return out
}

var hanSurnames = parseHan(`王王wang 李李li 张張zhang 刘劉liu 陈陳chen 杨楊yang 黄黃huang 赵趙zhao 吴吳wu 周周zhou
徐徐xu 孙孫sun 马馬ma 朱朱zhu 胡胡hu 郭郭guo 何何he 林林lin 高高gao 罗羅luo 郑鄭zheng 梁梁liang 谢謝xie 宋宋song
唐唐tang 许許xu 邓鄧deng 韩韓han 冯馮feng 曹曹cao 彭彭peng 曾曾zeng 萧蕭xiao 田田tian 董董dong 潘潘pan 袁袁yuan
蔡蔡cai 蒋蔣jiang 余余yu 于于yu 杜杜du 叶葉ye 程程cheng 魏魏wei 苏蘇su 吕呂lu 丁丁ding 任任ren 卢盧lu 姚姚yao
沈沈shen 钟鍾zhong 姜姜jiang 崔崔cui 谭譚tan 陆陸lu 范范fan 汪汪wang 廖廖liao 石石shi 金金jin 韦韋wei 贾賈jia
夏夏xia 方方fang 邹鄒zou 熊熊xiong 白白bai 孟孟meng 秦秦qin 邱邱qiu 江江jiang 尹尹yin 薛薛xue 闫閆yan 段段duan
雷雷lei 黎黎li 史史shi 龙龍long 陶陶tao 贺賀he 顾顧gu 毛毛mao 郝郝hao 龚龔gong 邵邵shao 万萬wan 武武wu 戴戴dai
严嚴yan 莫莫mo 孔孔kong 向向xiang 常常chang`)

var hanGiven = parseHan(`伟偉wei:m 芳芳fang:f 娜娜na:f 敏敏min 静靜jing:f 丽麗li:f 强強qiang:m 磊磊lei:m 军軍jun:m
洋洋yang 勇勇yong:m 艳艷yan:f 杰傑jie:m 涛濤tao:m 明明ming 超超chao:m 秀秀xiu:f 霞霞xia:f 平平ping 刚剛gang:m
桂桂gui:f 英英ying:f 华華hua 文文wen 建建jian:m 国國guo:m 志志zhi:m 红紅hong:f 玉玉yu:f 兰蘭lan:f 海海hai 东東dong
晓曉xiao 春春chun 林林lin 云雲yun:f 鹏鵬peng:m 辉輝hui:m 斌斌bin:m 宇宇yu 浩浩hao:m 凯凱kai:m 健健jian:m 俊俊jun:m
帆帆fan 峰峰feng:m 亮亮liang:m 成成cheng:m 新新xin 立立li 庆慶qing 光光guang:m 德德de:m 和和he 民民min 永永yong
嘉嘉jia 佳佳jia:f 子子zi 欣欣xin:f 梅梅mei:f 琳琳lin:f 雪雪xue:f 慧慧hui:f 婷婷ting:f 倩倩qian:f 燕燕yan:f 丹丹dan:f
萍萍ping:f 琴琴qin:f 晶晶jing:f 宁寧ning 安安an 思思si 学學xue 振振zhen:m 飞飛fei:m 龙龍long:m 毅毅yi:m 锋鋒feng:m
荣榮rong 伦倫lun:m 家家jia 天天tian 瑞瑞rui 远遠yuan:m 松松song:m 达達da:m 继繼ji:m 鑫鑫xin 博博bo:m 益益yi 彬彬bin
晨晨chen 阳陽yang 钧鈞jun:m 胜勝sheng:m 卫衛wei:m 泽澤ze:m 恩恩en 爱愛ai:f 鸥鷗ou`)

// hanName is a Han name in its three forms.
type hanName struct{ simp, trad, pinyin string }

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// joinPinyin writes syllables as one word, with an apostrophe before a
// syllable that starts with a, e or o ("Jia'an").
func joinPinyin(syl []string) string {
	var b strings.Builder
	for i, s := range syl {
		if i > 0 && strings.ContainsRune("aeo", rune(s[0])) {
			b.WriteByte('\'')
		}
		b.WriteString(s)
	}
	return capitalise(b.String())
}

// newHanName draws a 2-character (40%) or 3-character name for sex m or f.
func newHanName(r *rand.Rand, sex byte) hanName {
	sur := hanSurnames[r.IntN(len(hanSurnames))]
	n := 2
	if r.IntN(10) < 6 {
		n = 3
	}
	simp, trad := sur.simp, sur.trad
	var given []string
	for len(given) < n-1 {
		g := hanGiven[r.IntN(len(hanGiven))]
		if g.sex != 'n' && g.sex != sex {
			continue
		}
		simp += g.simp
		trad += g.trad
		given = append(given, g.pinyin)
	}
	return hanName{simp: simp, trad: trad, pinyin: capitalise(sur.pinyin) + " " + joinPinyin(given)}
}

// uyghurName is one Uyghur name element: Latin, Arabic script, Chinese, sex.
type uyghurName struct {
	latin, arabic, chinese string
	sex                    byte
}

var uyghurNames = []uyghurName{
	{"Abdurehim", "ئابدۇرېھىم", "阿不都热依木", 'm'}, {"Abdukerim", "ئابدۇكېرىم", "阿不都克里木", 'm'},
	{"Abduweli", "ئابدۇۋەلى", "阿不都外力", 'm'}, {"Ablimit", "ئابلىمىت", "阿布力米提", 'm'},
	{"Adil", "ئادىل", "阿迪力", 'm'}, {"Ehmet", "ئەخمەت", "艾合买提", 'm'}, {"Alim", "ئالىم", "阿里木", 'm'},
	{"Enver", "ئەنۋەر", "安外尔", 'm'}, {"Ekber", "ئەكبەر", "艾克拜尔", 'm'}, {"Erkin", "ئەركىن", "艾尔肯", 'm'},
	{"Ilham", "ئىلھام", "伊力哈木", 'm'}, {"Mehmut", "مەھمۇت", "买合木提", 'm'}, {"Memet", "مەمەت", "买买提", 'm'},
	{"Nurmemet", "نۇرمەمەت", "努尔买买提", 'm'}, {"Osman", "ئوسمان", "奥斯曼", 'm'}, {"Perhat", "پەرھات", "帕尔哈提", 'm'},
	{"Qurban", "قۇربان", "库尔班", 'm'}, {"Tohti", "توختى", "土赫提", 'm'}, {"Tursun", "تۇرسۇن", "吐尔逊", 'm'},
	{"Yusup", "يۇسۇپ", "玉素甫", 'm'}, {"Nijat", "نىجات", "尼加提", 'm'}, {"Kamil", "كامىل", "卡米力", 'm'},
	{"Hesen", "ھەسەن", "艾山", 'm'}, {"Abdulla", "ئابدۇللا", "阿不都拉", 'm'}, {"Yasin", "ياسىن", "亚森", 'm'},
	{"Tahir", "تاھىر", "塔依尔", 'm'}, {"Rehman", "رەھمان", "热合曼", 'm'}, {"Sadir", "سادىر", "萨迪尔", 'm'},
	{"Gulnar", "گۈلنار", "古丽娜尔", 'f'}, {"Gulshen", "گۈلشەن", "古丽先", 'f'}, {"Rahile", "راھىلە", "拉希莱", 'f'},
	{"Reshide", "رەشىدە", "热西达", 'f'}, {"Zulpiye", "زۇلپىيە", "祖丽皮亚", 'f'}, {"Mihrigul", "مىھرىگۈل", "米日古丽", 'f'},
	{"Aynur", "ئاينۇر", "阿依努尔", 'f'}, {"Patigul", "پاتىگۈل", "帕提古丽", 'f'},
}

// tibetanName is one Tibetan name element.
type tibetanName struct {
	script, wylie, phonetic, chinese string
	sex                              byte
}

var tibetanNames = []tibetanName{
	{"བཀྲ་ཤིས", "bkra shis", "Tashi", "扎西", 'n'}, {"བསྟན་འཛིན", "bstan 'dzin", "Tenzin", "丹增", 'n'},
	{"རྡོ་རྗེ", "rdo rje", "Dorje", "多吉", 'm'}, {"པདྨ", "pad ma", "Pema", "白玛", 'n'},
	{"བློ་བཟང", "blo bzang", "Lobsang", "洛桑", 'n'}, {"བསོད་ནམས", "bsod nams", "Sonam", "索南", 'n'},
	{"སྒྲོལ་མ", "sgrol ma", "Dolma", "卓玛", 'f'}, {"དབང་ཕྱུག", "dbang phyug", "Wangchuk", "旺秋", 'm'},
	{"ཚེ་རིང", "tshe ring", "Tsering", "次仁", 'n'}, {"འཇིགས་མེད", "'jigs med", "Jigme", "晋美", 'm'},
	{"རྒྱ་མཚོ", "rgya mtsho", "Gyatso", "嘉措", 'm'}, {"རྣམ་རྒྱལ", "rnam rgyal", "Namgyal", "朗杰", 'm'},
	{"ལྷ་མོ", "lha mo", "Lhamo", "拉姆", 'f'}, {"ཕུན་ཚོགས", "phun tshogs", "Phuntsok", "平措", 'n'},
	{"ཟླ་བ", "zla ba", "Dawa", "达瓦", 'n'}, {"ཉི་མ", "nyi ma", "Nyima", "尼玛", 'n'},
	{"དཀོན་མཆོག", "dkon mchog", "Kunchok", "贡却", 'm'}, {"སྒྲོལ་དཀར", "sgrol dkar", "Drolkar", "卓嘎", 'f'},
	{"དབྱངས་ཅན", "dbyangs can", "Yangchen", "央金", 'f'}, {"རིན་ཆེན", "rin chen", "Rinchen", "仁青", 'n'},
	{"དགེ་འདུན", "dge 'dun", "Gendun", "根敦", 'm'}, {"ནོར་བུ", "nor bu", "Norbu", "诺布", 'm'},
	{"དཔལ་ལྡན", "dpal ldan", "Palden", "班丹", 'n'}, {"སྐལ་བཟང", "skal bzang", "Kelsang", "格桑", 'n'},
	{"ཚེ་དབང", "tshe dbang", "Tsewang", "次旺", 'm'},
}

// nameForm is one form of a person's name with its name kind.
type nameForm struct{ name, kind string }

// detaineeNames returns the forms of a name for a person of the given
// ethnic group: the first is the primary name.
func detaineeNames(r *rand.Rand, ethnic string, sex byte) []nameForm {
	switch ethnic {
	case "Uyghur":
		var given uyghurName
		for {
			given = uyghurNames[r.IntN(len(uyghurNames))]
			if given.sex == sex {
				break
			}
		}
		var father uyghurName
		for {
			father = uyghurNames[r.IntN(len(uyghurNames))]
			if father.sex == 'm' && father.latin != given.latin {
				break
			}
		}
		forms := []nameForm{{given.latin + " " + father.latin, "uyghur_latin"},
			{given.arabic + " " + father.arabic, "uyghur_arabic"}, {given.chinese + "·" + father.chinese, "simplified"}}
		if r.IntN(10) < 3 { // known by the Chinese transliteration
			forms[0], forms[2] = forms[2], forms[0]
		}
		return forms
	case "Tibetan":
		var a, b tibetanName
		for {
			a, b = tibetanNames[r.IntN(len(tibetanNames))], tibetanNames[r.IntN(len(tibetanNames))]
			if a.phonetic != b.phonetic && (b.sex == 'n' || b.sex == sex) && (a.sex == 'n' || a.sex == sex) {
				break
			}
		}
		return []nameForm{{a.phonetic + " " + b.phonetic, "latin"}, {a.script + "་" + b.script, "tibetan"},
			{a.wylie + " " + b.wylie, "tibetan_latin"}, {a.chinese + b.chinese, "simplified"}}
	default:
		n := newHanName(r, sex)
		forms := []nameForm{{n.simp, "simplified"}, {n.pinyin, "pinyin"}}
		if n.trad != n.simp && r.IntN(10) < 3 {
			forms = append(forms, nameForm{n.trad, "traditional"})
		}
		return forms
	}
}
