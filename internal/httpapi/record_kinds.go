package httpapi

import (
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// The kinds of record the verb helpers serve: the object of a 404, the
// path parameter of the id, and where a record is and its version.
var (
	detaineeKind = kind[cases.DetaineeView]{"detainee", "id", func(v *cases.DetaineeView) (string, int64) {
		return "/detainees/" + v.ID, v.Version
	}}
	caseKind = kind[cases.CaseView]{"case", "id", func(v *cases.CaseView) (string, int64) {
		return "/cases/" + v.ID, v.Version
	}}
	assignmentKind = kind[cases.AssignmentView]{"assignment", "aid", func(v *cases.AssignmentView) (string, int64) {
		return "/cases/" + v.CaseID + "/assignments/" + v.ID, v.Version
	}}
	lawyerKind = kind[cases.LawyerView]{"lawyer", "id", func(v *cases.LawyerView) (string, int64) {
		return "/lawyers/" + v.ID, v.Version
	}}
	custodyPeriodKind = kind[cases.CustodyPeriodView]{"custody_period", "pid", func(v *cases.CustodyPeriodView) (string, int64) {
		return "/cases/" + v.CaseID + "/custody-periods/" + v.ID, v.Version
	}}
	unCommunicationKind = kind[cases.UNCommunicationView]{"un_communication", "uid", func(v *cases.UNCommunicationView) (string, int64) {
		return "/cases/" + v.CaseID + "/un-communications/" + v.ID, v.Version
	}}
	// A link is found from either of its cases: Location names it under
	// the other case (case_id), where it is listed too.
	caseLinkKind = kind[cases.CaseLinkView]{"case_link", "lid", func(v *cases.CaseLinkView) (string, int64) {
		return "/cases/" + v.CaseID + "/links/" + v.ID, v.Version
	}}
	// A detainee of a case is found by its detainee id; the principal
	// detainee has no version (not changed here).
	caseDetaineeKind = kind[cases.CaseDetaineeView]{"case_detainee", "did", func(v *cases.CaseDetaineeView) (string, int64) {
		var version int64
		if v.Version != nil {
			version = *v.Version
		}
		return "/cases/" + v.CaseID + "/detainees/" + v.DetaineeID, version
	}}
	// A share is answered without Location and ETag: it is never changed.
	shareKind    = kind[cases.ShareView]{object: "share", param: "sid"}
	evidenceKind = kind[evidence.View]{object: "evidence", param: "eid"}
	eventKind    = kind[timeline.EventView]{"event", "eid", func(v *timeline.EventView) (string, int64) {
		return "/cases/" + v.CaseID + "/events/" + v.ID, v.Version
	}}
	hearingKind = kind[timeline.HearingView]{"hearing", "hid", func(v *timeline.HearingView) (string, int64) {
		return "/cases/" + v.CaseID + "/hearings/" + v.ID, v.Version
	}}
	actionKind = kind[support.ActionView]{"support_action", "id", func(v *support.ActionView) (string, int64) {
		return "/support-actions/" + v.ID, v.Version
	}}
	partnerKind = kind[support.PartnerView]{"partner", "id", func(v *support.PartnerView) (string, int64) {
		return "/partners/" + v.ID, v.Version
	}}
)
