package seed

// province is a province-level division: English name, the one-character
// abbreviation used in case numbers, and some of its cities.
type province struct {
	name, abbr string
	cities     []string
}

var (
	hanProvinces = []province{
		{"Beijing", "京", []string{"Beijing"}}, {"Shanghai", "沪", []string{"Shanghai"}},
		{"Guangdong", "粤", []string{"Guangzhou", "Shenzhen", "Dongguan", "Foshan"}},
		{"Sichuan", "川", []string{"Chengdu", "Mianyang", "Suining"}}, {"Hubei", "鄂", []string{"Wuhan", "Yichang"}},
		{"Hunan", "湘", []string{"Changsha", "Zhuzhou", "Changde"}}, {"Henan", "豫", []string{"Zhengzhou", "Luoyang", "Nanyang"}},
		{"Shandong", "鲁", []string{"Jinan", "Qingdao", "Linyi"}}, {"Jiangsu", "苏", []string{"Nanjing", "Suzhou", "Xuzhou"}},
		{"Zhejiang", "浙", []string{"Hangzhou", "Wenzhou", "Ningbo"}}, {"Fujian", "闽", []string{"Fuzhou", "Xiamen"}},
		{"Hebei", "冀", []string{"Shijiazhuang", "Baoding"}}, {"Liaoning", "辽", []string{"Shenyang", "Dalian"}},
		{"Heilongjiang", "黑", []string{"Harbin", "Qiqihar"}}, {"Jilin", "吉", []string{"Changchun"}},
		{"Anhui", "皖", []string{"Hefei", "Wuhu"}}, {"Jiangxi", "赣", []string{"Nanchang"}},
		{"Yunnan", "滇", []string{"Kunming", "Dali"}}, {"Guizhou", "黔", []string{"Guiyang", "Zunyi"}},
		{"Guangxi", "桂", []string{"Nanning", "Guilin"}}, {"Shaanxi", "陕", []string{"Xi'an", "Baoji"}},
		{"Shanxi", "晋", []string{"Taiyuan"}}, {"Chongqing", "渝", []string{"Chongqing"}}, {"Tianjin", "津", []string{"Tianjin"}},
	}
	uyghurProvinces  = []province{{"Xinjiang", "新", []string{"Urumqi", "Kashgar", "Hotan", "Aksu", "Ghulja", "Turpan"}}}
	tibetanProvinces = []province{
		{"Tibet", "藏", []string{"Lhasa", "Shigatse", "Chamdo", "Nagchu"}}, {"Qinghai", "青", []string{"Xining", "Golog", "Yushu"}},
		{"Sichuan", "川", []string{"Kardze", "Ngaba"}}, {"Gansu", "甘", []string{"Kanlho"}},
	}
	huiProvinces = []province{
		{"Ningxia", "宁", []string{"Yinchuan", "Wuzhong"}}, {"Gansu", "甘", []string{"Lanzhou", "Linxia"}},
		{"Qinghai", "青", []string{"Xining"}}, {"Henan", "豫", []string{"Zhengzhou"}},
	}
)

// occupation is an occupation category and occupation.
type occupation struct{ category, name string }

var (
	hanOccupations = []occupation{
		{"lawyer", "Human rights lawyer"}, {"journalist", "Citizen journalist"}, {"religious", "House church pastor"},
		{"academic", "University lecturer"}, {"worker", "Factory worker"}, {"farmer", "Farmer"},
		{"student", "University student"}, {"business", "Small business owner"}, {"writer", "Writer"},
		{"activist", "Labour activist"}, {"teacher", "Teacher"}, {"petitioner", "Petitioner"},
		{"activist", "Environmental activist"}, {"religious", "Falun Gong practitioner"}, {"activist", "Feminist activist"},
	}
	uyghurOccupations = []occupation{
		{"academic", "Economist"}, {"religious", "Imam"}, {"business", "Merchant"}, {"writer", "Poet"},
		{"teacher", "Teacher"}, {"farmer", "Farmer"}, {"student", "Student returned from abroad"}, {"medical", "Doctor"},
	}
	tibetanOccupations = []occupation{
		{"religious", "Monk"}, {"religious", "Nun"}, {"teacher", "Tibetan-language teacher"}, {"writer", "Writer"},
		{"farmer", "Nomad"}, {"business", "Shopkeeper"}, {"artist", "Singer"},
	}
)

// issuesByGroup are the issue categories of each ethnic group, most likely first.
var issuesByGroup = map[string][]string{
	"Han": {"expression", "human_rights_defenders", "lawyers", "religious_freedom", "democracy", "labour", "petitioners",
		"land_housing", "journalism", "assembly_association", "environment", "women_rights", "lgbt_rights"},
	"Uyghur":  {"ethnic_minority_rights", "religious_freedom", "expression"},
	"Tibetan": {"ethnic_minority_rights", "religious_freedom", "expression", "assembly_association"},
	"Hui":     {"religious_freedom", "ethnic_minority_rights", "expression"},
}

// chargesByGroup are the charges of each ethnic group's cases.
var chargesByGroup = map[string][]string{
	"Han": {"art105_inciting_subversion", "art293_picking_quarrels", "art105_subversion", "art225_illegal_business",
		"art246_defamation", "art290_gathering_crowd_disturbing_order", "art300_cult", "art277_obstructing_official_duties",
		"art111_state_secrets_abroad", "art266_fraud"},
	"Uyghur":  {"art103_splittism", "art120_3_advocating_terrorism", "art249_inciting_ethnic_hatred", "art120_terrorism", "art120_4_inciting_ethnic_hatred_extremism"},
	"Tibetan": {"art103_inciting_splittism", "art103_splittism", "art293_picking_quarrels", "art111_state_secrets_abroad"},
	"Hui":     {"art293_picking_quarrels", "art249_inciting_ethnic_hatred", "art120_3_advocating_terrorism"},
}

var religions = map[string][]string{
	"Han":     {"", "", "", "Protestant Christianity", "Catholicism", "Falun Gong", "Buddhism"},
	"Uyghur":  {"Islam"},
	"Tibetan": {"Tibetan Buddhism"},
	"Hui":     {"Islam"},
}

// lawFirms are law firms of the generated lawyers.
var lawFirms = []string{
	"Beijing Fengrui Law Firm", "Beijing Mo Shaoping Law Firm", "Guangdong Huaxuan Law Firm", "Sichuan Tianyi Law Firm",
	"Hunan Xiangjiang Law Firm", "Shanghai Jinqiao Law Firm", "Beijing Yitong Law Firm", "Hubei Zhongxin Law Firm",
	"Henan Zhongyuan Law Firm", "Shandong Qilu Law Firm", "Jiangsu Jinling Law Firm", "Zhejiang Xihu Law Firm",
	"Fujian Minjiang Law Firm", "Liaoning Shengjing Law Firm", "Yunnan Dianchi Law Firm", "Guizhou Qianyuan Law Firm",
}

// partnerSeed is a partner organisation.
type partnerSeed struct{ name, kind, country, addressee string }

var partnerSeeds = []partnerSeed{
	{"UN Working Group on Arbitrary Detention", "un_body", "CH", "Working Group on Arbitrary Detention, OHCHR Geneva"},
	{"UN Special Rapporteur on human rights defenders", "un_body", "CH", "Special Rapporteur on the situation of human rights defenders"},
	{"Embassy of Germany in Beijing", "government", "DE", "Human rights officer, Embassy of Germany"},
	{"Embassy of Sweden in Beijing", "government", "SE", "Political section, Embassy of Sweden"},
	{"Embassy of the United States in Beijing", "government", "US", "Political section, US Embassy"},
	{"British Embassy Beijing", "government", "GB", "Human rights officer, British Embassy"},
	{"Embassy of Canada to China", "government", "CA", "Political section, Embassy of Canada"},
	{"Amnesty International", "ngo", "GB", "East Asia Regional Office"},
	{"Human Rights Watch", "ngo", "US", "China division"},
	{"Front Line Defenders", "ngo", "IE", "Protection coordinator for Asia"},
	{"Lawyers for Lawyers", "bar_association", "NL", "Lawyers for Lawyers, Amsterdam"},
	{"Law Society of England and Wales", "bar_association", "GB", "International human rights team"},
	{"Reporters Without Borders", "media", "FR", "Asia-Pacific desk"},
	{"Radio Free Asia", "media", "US", "Mandarin service"},
	{"Legal Defence Fund (generated)", "funder", "", "Grants committee"},
}
