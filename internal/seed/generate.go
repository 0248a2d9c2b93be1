package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// createdBy is the creator recorded on generated rows (the audit log names
// the same actor for operator commands).
const createdBy = "system"

// epoch is the creation time of the first generated row; each detainee and
// its rows are created two seconds after the one before.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// chunk holds the rows generated for a run of detainees, by table, in the
// order they are written (references first).
type chunk struct {
	detainees, cases, charges, assignments, shares, events, revisions, hearings, actions, changes []any
}

// lawyerRef is a generated lawyer the cases may name.
type lawyerRef struct{ id string }

// generator draws the content from one seeded generator and the ids from
// another, always in the same order: the same seed and options give the
// same content.
type generator struct {
	o         Options
	r         *rand.Rand
	ids       idGen
	lawyers   []lawyerRef
	linked    int // the first `linked` lawyers are linked to bench users
	partners  []string
	caseIndex int64
	cases     int64 // total cases to generate
	jitter    int   // event-count jitter of the previous (even) case
}

// share returns how many of a per-parent rate f fall on parent j: the
// difference of running totals, so that n parents get floor(n*f) in all.
func share(j int64, f float64) int {
	return int(math.Floor(float64(j+1)*f+1e-9) - math.Floor(float64(j)*f+1e-9))
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// clock returns the creation time of row k of detainee i.
func clock(i int64, k int) time.Time {
	return epoch.Add(time.Duration(i)*2*time.Second + time.Duration(k)*time.Millisecond)
}

// lawyersAndPartners returns the lawyers and partners, created before the detainees.
func (g *generator) lawyersAndPartners() (lawyers, partners []any, err error) {
	at := epoch.Add(-time.Hour)
	for i := 0; i < g.o.Lawyers; i++ {
		sex := byte('m')
		if g.r.IntN(10) < 3 {
			sex = 'f'
		}
		n := newHanName(g.r, sex)
		prov := pick(g.r, hanProvinces)
		risk := []string{}
		for _, rs := range cases.RiskStatuses {
			if g.r.IntN(10) == 0 {
				risk = append(risk, rs.Value)
			}
		}
		status := "active"
		switch x := g.r.IntN(100); {
		case x < 8:
			status = "suspended"
		case x < 15:
			status = "revoked"
		case x < 22:
			status = "not_renewed"
		case x < 25:
			status = "unknown"
		}
		others := []cases.OtherName{{Name: n.pinyin, Kind: "pinyin"}}
		in := cases.LawyerFields{Name: ptr(n.simp), OtherNames: &others, LawFirm: ptr(pick(g.r, lawFirms)),
			LicenceNumber: ptr(fmt.Sprintf("1%02d0%04d1%08d", g.r.IntN(32), 2005+g.r.IntN(18), g.r.IntN(100000000))),
			Jurisdiction:  ptr(prov.name), LicenceStatus: ptr(status), RiskStatus: &risk,
			Contact: ptr(fmt.Sprintf("(generated) +86 100 0000 %04d", g.r.IntN(10000)))}
		if i < len(g.o.LawyerUserIDs) {
			in.UserID = ptr(g.o.LawyerUserIDs[i])
		}
		t := at.Add(time.Duration(i) * time.Millisecond)
		l, err := cases.NewLawyer(g.ids.at(t), createdBy, t, in)
		if err != nil {
			return nil, nil, fmt.Errorf("seed: lawyer: %w", err)
		}
		lawyers = append(lawyers, l)
		g.lawyers = append(g.lawyers, lawyerRef{id: l.ID})
	}
	g.linked = min(len(g.o.LawyerUserIDs), g.o.Lawyers)
	for i, ps := range partnerSeeds {
		t := at.Add(time.Duration(g.o.Lawyers+i) * time.Millisecond)
		pt, err := support.NewPartner(g.ids.at(t), createdBy, t, support.PartnerFields{Name: ptr(ps.name), Kind: ptr(ps.kind), Country: ptr(ps.country)})
		if err != nil {
			return nil, nil, fmt.Errorf("seed: partner: %w", err)
		}
		partners = append(partners, pt)
		g.partners = append(g.partners, pt.ID)
	}
	return lawyers, partners, nil
}

// person is what a detainee's cases need to know of the detainee.
type person struct {
	ethnic, name, city string
	prov               province
}

// detainee generates detainee i with its cases into c.
func (g *generator) detainee(i int64, c *chunk) error {
	r := g.r
	ethnic, provs, occs := "Han", hanProvinces, hanOccupations
	switch x := r.IntN(100); {
	case x < 20:
		ethnic, provs, occs = "Uyghur", uyghurProvinces, uyghurOccupations
	case x < 33:
		ethnic, provs, occs = "Tibetan", tibetanProvinces, tibetanOccupations
	case x < 38:
		ethnic, provs, occs = "Hui", huiProvinces, hanOccupations
	}
	sex := byte('m')
	if r.IntN(100) < 22 {
		sex = 'f'
	}
	nameGroup := ethnic
	if ethnic == "Hui" {
		nameGroup = "Han"
	}
	forms := detaineeNames(r, nameGroup, sex)
	others := make([]cases.OtherName, 0, len(forms)-1)
	for _, f := range forms[1:] {
		others = append(others, cases.OtherName{Name: f.name, Kind: f.kind})
	}
	prov := pick(r, provs)
	city := pick(r, prov.cities)
	occ := pick(r, occs)
	issues := issuesByGroup[ethnic]
	issue := issues[0]
	if r.IntN(10) >= 4 {
		issue = pick(r, issues)
	}
	religion := pick(r, religions[ethnic])
	if religion == "Falun Gong" || occ.name == "Falun Gong practitioner" {
		religion, issue = "Falun Gong", "religious_freedom"
	}
	born := time.Date(1950+r.IntN(53), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	var bornAt string
	switch x := r.IntN(10); {
	case x < 5:
		bornAt = born.Format("2006-01-02")
	case x < 7:
		bornAt = born.Format("2006-01")
	default:
		bornAt = born.Format("2006")
		if x == 9 {
			bornAt += "~"
		}
	}
	sexName := map[byte]string{'m': "male", 'f': "female"}[sex]
	in := cases.DetaineeFields{
		Name: ptr(forms[0].name), OtherNames: &others, Sex: ptr(sexName), BornAt: ptr(bornAt),
		EthnicGroup: ptr(ethnic), Religion: ptr(religion), OccupationCategory: ptr(occ.category), Occupation: ptr(occ.name),
		HomeProvince: ptr(prov.name), HomePlace: ptr(city), Issue: ptr(issue),
		FamilyContacts:    ptr(fmt.Sprintf("(generated) relative: +86 100 0000 %04d", r.IntN(10000))),
		HomeAddress:       ptr(fmt.Sprintf("(generated) %s, building %d, unit %d", city, 1+r.IntN(40), 1+r.IntN(12))),
		Source:            ptr("habeas seed (generated data)"),
		SourceReliability: ptr(pick(r, []string{"A", "B", "B", "C", "C", "F"})), InformationCredibility: ptr(pick(r, []string{"1", "2", "2", "3", "6"})),
	}
	if r.IntN(5) == 0 {
		refs := []cases.CrossReference{{Database: "Generated register", RecordID: fmt.Sprintf("G-%d-%05d", 2012+r.IntN(14), r.IntN(100000))}}
		in.CrossReferences = &refs
	}
	if r.IntN(6) == 0 {
		in.HealthConcerns = ptr(pick(r, []string{"Hypertension, medication withheld", "Diabetes", "Heart condition",
			"Lost weight after interrogations", "Injuries reported by family"}))
	}
	if r.IntN(10) == 0 {
		in.ConfidentialNotes = ptr("(generated) contact through a relative abroad only")
	}
	p := person{ethnic: ethnic, name: forms[0].name, city: city, prov: prov}
	k := 0
	at := func() time.Time { k++; return clock(i, k) }
	t0 := at()
	did := g.ids.at(t0)
	ncases := share(i, g.o.CasesPerDetainee)
	start := firstDetention.Add(time.Duration(r.Int64N(int64(lastDetention.Sub(firstDetention)/(24*time.Hour))+1)) * 24 * time.Hour)
	var lastStage string
	for j := 0; j < ncases; j++ {
		if j > 0 {
			start = start.Add(days(r, 200, 2000))
			if start.After(lastDetention) {
				start = lastDetention
			}
		}
		stage, err := g.newCase(did, p, start, at, c)
		if err != nil {
			return err
		}
		lastStage = stage
	}
	in.DetentionStatus = ptr(detentionStatus(r, ethnic, lastStage))
	in.DetentionPlace = ptr(fmt.Sprintf("%s No. %d Detention Centre", city, 1+r.IntN(4)))
	in.FacilityType = ptr("detention_centre")
	switch lastStage {
	case "serving_sentence", "first_instance_verdict":
		in.DetentionPlace, in.FacilityType = ptr(city+" Prison"), ptr("prison")
	case "rsdl":
		in.DetentionPlace, in.FacilityType = ptr("Unknown RSDL site, "+city), ptr("rsdl_site")
	case "released":
		in.DetentionPlace, in.FacilityType = ptr(""), ptr("")
	case "":
		in.DetentionPlace, in.FacilityType = ptr(""), ptr("unknown")
	}
	if ethnic == "Uyghur" && lastStage != "released" && r.IntN(4) == 0 {
		in.DetentionPlace, in.FacilityType = ptr(city+" Vocational Skills Education and Training Centre"), ptr("internment_camp")
	}
	in.Summary = ptr(fmt.Sprintf("%s (%s, %s) was detained in %s on %s.", p.name, ethnic, occ.name, city, start.Format("2006-01-02")))
	d, err := cases.NewDetainee(did, createdBy, t0, in)
	if err != nil {
		return fmt.Errorf("seed: detainee: %w", err)
	}
	c.detainees = append(c.detainees, d)
	return nil
}

// detentionStatus is the status of a detainee whose latest case is at stage.
func detentionStatus(r *rand.Rand, ethnic, stage string) string {
	switch stage {
	case "released":
		return pick(r, []string{"released", "sentence_completed", "under_surveillance", "under_surveillance", "exiled"})
	case "rsdl":
		return "rsdl"
	case "summons", "":
		return pick(r, []string{"believed_detained", "disappeared", "unknown"})
	}
	if ethnic == "Uyghur" && r.IntN(3) == 0 {
		return "disappeared"
	}
	if r.IntN(8) == 0 {
		return "believed_detained"
	}
	return "detained"
}

// newCase generates one case of detainee did detained at start, with its
// charges, assignments, shares, events, hearings and support actions; it
// returns the stage reached.
func (g *generator) newCase(did string, p person, start time.Time, at func() time.Time, c *chunk) (string, error) {
	r := g.r
	j := g.caseIndex
	g.caseIndex++
	// events: the average exactly, with a jitter that the next case takes back
	n := g.o.EventsPerCase
	if j%2 == 0 && j+1 < g.cases {
		g.jitter = r.IntN(n/2 + 1)
		n += g.jitter
	} else if j%2 == 1 {
		n -= g.jitter
	}
	key := process(r, start)
	steps := caseEvents(r, key, n)
	var reached []step
	for _, s := range steps {
		if s.key {
			reached = append(reached, s)
		}
	}
	stage := ""
	if len(reached) > 0 {
		stage = stageOf[reached[len(reached)-1].typ]
	}
	charges := chargesByGroup[p.ethnic]
	ch := []cases.ChargeInput{{Charge: pick(r, charges)}}
	if r.IntN(4) == 0 {
		if c2 := pick(r, charges); c2 != ch[0].Charge {
			ch = append(ch, cases.ChargeInput{Charge: c2})
		}
	}
	label, _ := cases.Charges.Lookup(ch[0].Charge)
	year := start.Year()
	nums := []string{fmt.Sprintf("%s公立字〔%d〕%d号", p.prov.abbr, year, 100+r.IntN(9000))}
	if stage != "" && stageRank[stage] >= stageRank["indicted"] {
		nums = append(nums, caseNumber(p.prov.abbr, year+1, r.IntN(100000), "刑初"))
	}
	status := "open"
	if stage == "released" {
		status = pick(r, []string{"closed", "monitoring"})
	}
	in := cases.CaseFields{
		CaseNumbers: &nums, Title: ptr(p.name + ": " + strings.ToLower(label.Label[:1]) + label.Label[1:]),
		Status: ptr(status), Stage: ptr(stage), Charges: &ch,
		DetainingAuthority:     ptr(p.city + " Public Security Bureau"),
		InvestigatingAuthority: ptr(p.city + " Public Security Bureau, Domestic Security Protection Unit"),
		Procuratorate:          ptr(p.city + " People's Procuratorate"),
		Court:                  ptr(p.city + " Intermediate People's Court"),
		DetentionPlace:         ptr(fmt.Sprintf("%s No. %d Detention Centre", p.city, 1+r.IntN(4))),
		Summary:                ptr(fmt.Sprintf("Case opened after detention in %s.", p.city)),
		Source:                 ptr("habeas seed (generated data)"),
		SourceReliability:      ptr(pick(r, []string{"A", "B", "C"})), InformationCredibility: ptr(pick(r, []string{"1", "2", "3"})),
	}
	if stage == "" {
		in.Stage = ptr("unknown")
	}
	caseDates(r, &in, reached, pick(r, sentences))
	t := at()
	k, err := cases.NewCase(g.ids.at(t), did, createdBy, t, in, func() string { return g.ids.at(t) })
	if err != nil {
		return "", fmt.Errorf("seed: case: %w", err)
	}
	c.cases = append(c.cases, k)
	for i := range k.Charges {
		c.charges = append(c.charges, &k.Charges[i])
	}
	// the lawyer: the bench users' lawyers first, so each has cases
	var lawyer string
	if len(g.lawyers) > 0 {
		li := r.IntN(len(g.lawyers))
		if j < int64(2*g.linked) {
			li = int(j) % g.linked
		}
		lawyer = g.lawyers[li].id
		if r.IntN(4) == 0 { // an earlier lawyer forced out
			prev := g.lawyers[r.IntN(len(g.lawyers))].id
			if prev != lawyer {
				a, err := g.assignment(k.ID, prev, "family_retained", pick(r, []string{"forced_withdrawal", "dismissed", "replaced"}), start, at)
				if err != nil {
					return "", err
				}
				c.assignments = append(c.assignments, a)
			}
		}
		role := pick(r, []string{"family_retained", "family_retained", "org_appointed", "state_appointed"})
		st := "active"
		if status == "closed" {
			st = "ended"
		}
		a, err := g.assignment(k.ID, lawyer, role, st, start, at)
		if err != nil {
			return "", err
		}
		c.assignments = append(c.assignments, a)
	}
	for oi, uid := range g.o.ObserverUserIDs {
		if (j < int64(2*len(g.o.ObserverUserIDs)) && int(j)%len(g.o.ObserverUserIDs) == oi) || r.Float64() < 20/float64(g.cases) {
			t := at()
			c.shares = append(c.shares, &cases.Share{ID: g.ids.at(t), CaseID: k.ID, UserID: uid, CreatedBy: createdBy, CreatedAt: t})
		}
	}
	place := p.city
	for _, s := range steps {
		t := at()
		ev, err := timeline.NewEvent(g.ids.at(t), k.ID, createdBy, t, eventFields(r, s, place, lawyer))
		if err != nil {
			return "", fmt.Errorf("seed: event %s: %w", s.typ, err)
		}
		rev, err := timeline.NewRevision(g.ids.at(t), ev, "create", "", createdBy)
		if err != nil {
			return "", err
		}
		c.events = append(c.events, ev)
		c.revisions = append(c.revisions, rev)
	}
	if err := g.hearings(k, reached, at, c); err != nil {
		return "", err
	}
	if err := g.actions(k.ID, start, at, c); err != nil {
		return "", err
	}
	return stage, nil
}

// stageRank orders the stages of the process.
var stageRank = func() map[string]int {
	m := map[string]int{}
	for i, s := range cases.Stages {
		m[s.Value] = i
	}
	return m
}()

func (g *generator) assignment(caseID, lawyerID, role, status string, start time.Time, at func() time.Time) (any, error) {
	in := cases.AssignmentFields{Role: ptr(role), Status: ptr(status), StartedAt: ptr(start.Add(days(g.r, 3, 30)).Format("2006-01-02"))}
	if status != "active" {
		in.EndedAt = ptr(start.Add(days(g.r, 40, 200)).Format("2006-01"))
	}
	t := at()
	a, err := cases.NewAssignment(g.ids.at(t), caseID, lawyerID, createdBy, t, in)
	if err != nil {
		return nil, fmt.Errorf("seed: assignment: %w", err)
	}
	return a, nil
}

var hearingTypes = []string{"trial", "sentencing", "appeal", "pre_trial_meeting", "other"}

// hearings generates the hearings of case k: held ones from its trial on,
// or ones scheduled after the reference day when it was not yet tried.
func (g *generator) hearings(k *cases.Case, reached []step, at func() time.Time, c *chunk) error {
	r := g.r
	n := share(g.caseIndex-1, g.o.HearingsPerCase)
	var trial time.Time
	for _, s := range reached {
		if s.typ == "trial" {
			trial = s.at
		}
	}
	for i := 0; i < n; i++ {
		f := timeline.HearingFields{TimeZone: ptr(timeline.DefaultZone), Court: ptr(k.Court), Type: ptr(hearingTypes[i%len(hearingTypes)])}
		var day time.Time
		if !trial.IsZero() {
			day = trial.Add(time.Duration(i*30) * 24 * time.Hour)
		} else {
			day = referenceDay.Add(days(r, 10, 200))
		}
		f.ScheduledAt = ptr(day.Format("2006-01-02") + "T09:30")
		if day.After(referenceDay) {
			f.Status = ptr(pick(r, []string{"scheduled", "scheduled", "scheduled", "postponed"}))
		} else {
			f.Status = ptr(pick(r, []string{"held", "held", "held", "held_without_notice", "postponed"}))
			if *f.Status == "held" {
				f.DefenseLawyerAdmitted = timeline.OptBool{Set: true, Value: ptr(r.IntN(3) > 0)}
				f.FamilyAdmitted = timeline.OptBool{Set: true, Value: ptr(r.IntN(3) == 0)}
				f.DiplomatsAdmitted = timeline.OptBool{Set: true, Value: ptr(false)}
				f.Outcome = ptr(pick(r, []string{"Adjourned without a verdict", "Verdict to be announced", "Defendant pleaded not guilty", "Defence statement cut short"}))
				if r.IntN(3) == 0 {
					f.Observers = ptr("Diplomats from several embassies were refused entry (generated)")
				}
			}
		}
		if r.IntN(20) == 0 {
			f.Confidential = ptr(true)
			f.Notes = ptr("(generated) lawyer's private notes on the hearing")
		}
		t := at()
		h, err := timeline.NewHearing(g.ids.at(t), k.ID, createdBy, t, f)
		if err != nil {
			return fmt.Errorf("seed: hearing: %w", err)
		}
		c.hearings = append(c.hearings, h)
	}
	return nil
}

// actions generates the support actions of a case and their status history.
func (g *generator) actions(caseID string, start time.Time, at func() time.Time, c *chunk) error {
	r := g.r
	n := share(g.caseIndex-1, g.o.SupportPerCase)
	for i := 0; i < n; i++ {
		typ := pick(r, support.ActionTypes).Value
		ps := partnerSeeds[r.IntN(len(partnerSeeds))]
		requested := start.Add(days(r, 5, 300))
		if requested.After(referenceDay) {
			requested = referenceDay
		}
		f := support.ActionFields{Type: ptr(typ), Priority: ptr(pick(r, []string{"low", "normal", "normal", "high", "urgent"})),
			Addressee: ptr(ps.addressee), Description: ptr(pick(r, support.ActionTypes).Label + " for this case (generated)"),
			RequestedAt: ptr(requested.Format(time.DateOnly)), DueAt: ptr(requested.Add(days(r, 14, 90)).Format(time.DateOnly))}
		if r.IntN(10) < 7 {
			pid := g.partners[r.IntN(len(g.partners))]
			f.AssigneePartnerID = &pid
		}
		if typ == "legal_fee_grant" || typ == "family_assistance" {
			f.Amount, f.Currency = ptr(fmt.Sprintf("%d.00", 500*(1+r.IntN(20)))), ptr(pick(r, []string{"EUR", "USD", "CNY"}))
		}
		t := at()
		a, err := support.NewAction(g.ids.at(t), caseID, createdBy, t, referenceDay.Format(time.DateOnly), f)
		if err != nil {
			return fmt.Errorf("seed: support action: %w", err)
		}
		c.changes = append(c.changes, support.NewChange(g.ids.at(t), a, "", createdBy))
		// move it along the workflow, one update per status
		for steps := r.IntN(5); steps > 0 && a.Status != support.Proposed && support.IsOpen(a.Status); steps-- {
			from := a.Status
			to := support.AllowedFrom(from)[0]
			if r.IntN(10) == 0 {
				to = support.Declined
			}
			a.Status, a.Version, a.UpdatedAt = to, a.Version+1, at()
			if to == support.ResponseReceived {
				a.Response = "Reply received (generated)"
			}
			if to == support.Closed {
				a.Impact = pick(r, []string{"Family allowed a visit", "No visible effect", "Raised in a bilateral dialogue", "Opinion adopted"})
			}
			c.changes = append(c.changes, support.NewChange(g.ids.at(a.UpdatedAt), a, from, createdBy))
		}
		c.actions = append(c.actions, a)
	}
	return nil
}
