package dossier

import (
	"fmt"
	"time"
)

// Values that exist only in confidential fields, events, support actions and
// evidence: none of them may appear anywhere in an external document.
var secrets = []string{
	"FAMILY-CONTACT-7731", "HOME-ADDRESS-4410", "DETAINEE-NOTE-9902", "CASE-NOTE-5521",
	"LAWYER-CONTACT-3318", "SECRET-EVENT-6604", "SECRET-SUPPORT-8815", "SECRET-EVIDENCE-2297",
	"秘密证据文件", "UNNAMED-LAWYER-4471",
	// The exporting user: on the internal cover only, never in the metadata.
	"coordinator@example.org",
}

// sample is a case with names in Latin, simplified and traditional Chinese,
// Tibetan and Uyghur (Arabic script), with confidential material of every kind.
func sample(lang Lang, audience Audience) *Document {
	at := time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
	return &Document{
		ID: "0195f3a0-7d1c-7abc-8def-0123456789ab", Kind: KindDossier, Lang: lang, Audience: audience,
		GeneratedAt: at, GeneratedBy: "coordinator@example.org (coordinator)", Organisation: "Habeas",
		Detainee: Detainee{
			Name: "许志永",
			OtherNames: []Name{{Text: "許志永", Kind: "traditional"}, {Text: "Xu Zhiyong", Kind: "pinyin"},
				{Text: "བཀྲ་ཤིས་", Kind: "tibetan"}, {Text: "Tashi", Kind: "tibetan_latin"},
				{Text: "ئىلھام توختى", Kind: "uyghur_arabic"}},
			Sex: Term{"sexes", "male"}, BornAt: "1973-03", EthnicGroup: "Han", Occupation: "Legal scholar",
			HomeProvince: "Henan", HomePlace: "Minquan", Issue: Term{"issue_categories", "human_rights_defenders"},
			DetentionStatus: Term{"detention_statuses", "detained"}, DetentionPlace: "Linyi Prison 临沂监狱",
			FacilityType: Term{"facility_types", "prison"}, HealthConcerns: "High blood pressure",
			Summary:         "Founder of the New Citizens' Movement (新公民运动). Detained in February 2020 after the Xiamen gathering.",
			CrossReferences: []string{"CECC 2013-00132"},
			FamilyContacts:  "FAMILY-CONTACT-7731", HomeAddress: "HOME-ADDRESS-4410", ConfidentialNotes: "DETAINEE-NOTE-9902",
		},
		Case: Case{
			Title: "Subversion case 颠覆国家政权案", CaseNumbers: []string{"(2022)鲁13刑初2号"},
			Status: Term{"case_statuses", "open"}, Stage: Term{"stages", "serving_sentence"},
			Charges:            []Charge{{Charge: Term{"charges", "art105_subversion"}, Article: "Art. 105", Detail: "organising the Xiamen gathering"}},
			DetainingAuthority: "Beijing Public Security Bureau 北京市公安局", InvestigatingAuthority: "Linyi PSB",
			Procuratorate: "Linyi Procuratorate", Court: "Linyi Intermediate People's Court 临沂市中级人民法院",
			Dates: []KeyDate{{"date.detained", "2020-02-15"}, {"date.arrest_approved", "2020-06-20"},
				{"date.trial", "2022-06-22"}, {"date.verdict", "2023-04-10"}},
			Sentence: "14 years", Summary: "Tried in secret; sentenced with Ding Jiaxi 丁家喜.",
			ConfidentialNotes: "CASE-NOTE-5521",
			CoDetainees: []CoDetainee{{Name: "丁家喜", OtherNames: []Name{{Text: "Ding Jiaxi", Kind: "pinyin"}},
				Role: Term{"case_detainee_roles", "co_defendant"}}},
		},
		Lawyers: []Lawyer{
			{Name: "张律师", OtherNames: []Name{{Text: "Zhang Lüshi", Kind: "pinyin"}}, LawFirm: "北京某律师事务所",
				LicenceStatus: Term{"licence_statuses", "suspended"}, RiskStatus: []Term{{"risk_statuses", "harassed"}},
				Role: Term{"assignment_roles", "family_retained"}, Status: Term{"assignment_statuses", "forced_withdrawal"},
				StartedAt: "2020-03", EndedAt: "2020-09~", Contact: "LAWYER-CONTACT-3318"},
			{Name: "UNNAMED-LAWYER-4471", Role: Term{"assignment_roles", "family_retained"}, Status: Term{"assignment_statuses", "active"}, Confidential: true},
			{Name: "ئابدۇرېھىم", Role: Term{"assignment_roles", "org_appointed"}, Status: Term{"assignment_statuses", "active"}},
		},
		Chronology: []ChronologyItem{
			{At: "2020-02-15", Kind: "event", Type: Term{"event_types", "detained"}, Description: "Taken from a friend's home in Guangzhou 广州", Place: "Guangzhou"},
			{At: "2020-03-02", Kind: "event", Type: Term{"event_types", "meeting_denied"}, Description: "Meeting request refused: state security case 会见被拒", Place: "Linyi", Obstacle: true, ObstacleType: Term{"obstacle_types", "meeting_denied"}},
			{At: "2020-04~", Kind: "event", Type: Term{"event_types", "note"}, Description: "SECRET-EVENT-6604", Confidential: true},
			{At: "2022-06-22", Kind: "hearing", Type: Term{"hearing_types", "trial"}, Description: "Closed trial; family not admitted 家属不得旁听", Place: "临沂市中级人民法院", Obstacle: true, ObstacleType: Term{"obstacle_types", "secret_trial"}},
		},
		TimeLimits: []TimeLimit{
			{Rule: "arrest_approval", Title: "Arrest approved or suspect released after criminal detention", Basis: "CPL Art. 91",
				StartAt: "2020-02-15", Due: time.Date(2020, 3, 23, 0, 0, 0, 0, time.UTC), Status: "overdue", DaysOverdue: 89},
			{Rule: "lawyer_meeting", Title: "Defense lawyer's meeting arranged", Basis: "CPL Art. 39", StartAt: "2020-03-02", Status: "unknown",
				Notes: []string{"state security case: investigators' permission needed"}},
		},
		Support: []SupportAction{
			{Type: Term{"support_action_types", "wgad_communication"}, Addressee: "UN WGAD", Status: Term{"support_action_statuses", "submitted"}, Due: "2026-05-01"},
			{Type: Term{"support_action_types", "embassy_trial_observation"}, Addressee: "SECRET-SUPPORT-8815", Status: Term{"support_action_statuses", "requested"}, Overdue: true, Confidential: true},
		},
		Evidence: []EvidenceItem{
			{Title: "Indictment 起诉书", Kind: "document", At: "2022-05", Size: 482113, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
			{Title: "SECRET-EVIDENCE-2297 秘密证据文件", Kind: "audio", At: "2021", Size: 12 << 20, SHA256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", Confidential: true},
		},
	}
}

// large is a case with n events, h hearings and e evidence items.
func large(n, h, e int) *Document {
	d := sample(Bilingual, Internal)
	d.Chronology = nil
	for i := 0; i < n; i++ {
		d.Chronology = append(d.Chronology, ChronologyItem{At: fmt.Sprintf("2020-%02d-%02d", 1+i%12, 1+i%28), Kind: "event",
			Type: Term{"event_types", "meeting_denied"}, Description: fmt.Sprintf("Event %d: meeting request refused at the detention centre 会见请求被拒绝（第%d次）", i, i),
			Place: "Linyi 临沂", Obstacle: i%3 == 0, ObstacleType: Term{"obstacle_types", "meeting_denied"}, Confidential: i%10 == 0})
	}
	for i := 0; i < h; i++ {
		d.Chronology = append(d.Chronology, ChronologyItem{At: fmt.Sprintf("2022-%02d", 1+i%12), Kind: "hearing",
			Type: Term{"hearing_types", "trial"}, Description: fmt.Sprintf("Hearing %d, closed to the public 不公开审理", i), Place: "临沂市中级人民法院"})
	}
	for i := 0; i < e; i++ {
		d.Evidence = append(d.Evidence, EvidenceItem{Title: fmt.Sprintf("Evidence %d 证据材料", i), Kind: "document", At: "2021-05",
			Size: int64(1000 * i), SHA256: fmt.Sprintf("%064x", i)})
	}
	return d
}
