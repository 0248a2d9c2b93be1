package cases

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// DetaineeMerge is the input of merging a detainee into another: the record
// that stays and why (kept in the audit trail).
type DetaineeMerge struct {
	Into   string `json:"into"`
	Reason string `json:"reason"`
}

// MergeDetainee merges the detainee id (at version) into the detainee
// in.Into, which stays (admin, coordinator): every case of id moves to it;
// id's name and other names become other names of it (the main name with
// kind "alias"; forms it already has are not repeated); its empty fields are
// filled from id, and id's summary, health concerns and confidential notes,
// when they differ, are appended to its own under a line naming id; id's
// cross references are added. Then id is deleted. Both ids get a
// detainee.merge audit entry and each moved case a case.update; no audit
// entry is rewritten, so the history of id stays readable under its id
// (GET /api/v1/audit?object_id=). It returns the detainee that stays.
func (s *Service) MergeDetainee(ctx context.Context, p *actor.Principal, id string, version int64, in DetaineeMerge) (DetaineeView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (DetaineeView, error) {
		d, err := findDetainee(tx, p, id)
		if err != nil {
			return DetaineeView{}, err
		}
		if !access.Manages(p) {
			return DetaineeView{}, errManage
		}
		if d.Version != version {
			return DetaineeView{}, record.ErrStale
		}
		reason := record.Clean(in.Reason)
		fields := map[string]string{}
		if reason == "" {
			fields["reason"] = "required"
		} else if msg := record.CheckText(reason, record.MaxLong); msg != "" {
			fields["reason"] = msg
		}
		into, ok := record.ParseID(in.Into)
		if !ok {
			fields["into"] = "the id of the detainee to merge into"
		}
		if len(fields) > 0 {
			return DetaineeView{}, apperr.Invalid("validation_failed", "the request has invalid fields", fields)
		}
		if into == d.ID {
			return DetaineeView{}, apperr.New(apperr.ErrConflict, "merge_into_self", "a detainee cannot be merged into itself")
		}
		t, err := findDetainee(tx, p, into)
		if errors.Is(err, apperr.ErrNotFound) {
			return DetaineeView{}, apperr.New(apperr.ErrNotFound, "detainee_not_found", "the detainee to merge into was not found")
		} else if err != nil {
			return DetaineeView{}, err
		}
		merged, err := mergedFields(d, t)
		if err != nil {
			return DetaineeView{}, err
		}
		ch := record.NewChangeSet()
		t.apply(merged, ch)
		if err := ch.Err(); err != nil {
			return DetaineeView{}, apperr.New(apperr.ErrConflict, "merge_not_possible",
				fmt.Sprintf("the merged record would be invalid: %v", fieldErrors(err)))
		}
		var caseIDs []string
		if err := tx.Model(&Case{}).Where("detainee_id = ?", d.ID).Order("id").Pluck("id", &caseIDs).Error; err != nil {
			return DetaineeView{}, fmt.Errorf("merge: cases: %w", err)
		}
		now := s.Now()
		if len(caseIDs) > 0 {
			err := tx.Model(&Case{}).Where("detainee_id = ?", d.ID).
				Updates(map[string]any{"detainee_id": t.ID, "version": gorm.Expr("version + 1"), "updated_at": now}).Error
			if err != nil {
				return DetaineeView{}, fmt.Errorf("merge: move cases: %w", err)
			}
		}
		// The relatives follow the person (issue 25), deleted ones too: their
		// consent history and the events linked to them keep their ids.
		// A lawyer record that is the merged detainee is now the target.
		if err := tx.Model(&Lawyer{}).Where("detainee_id = ?", d.ID).Update("detainee_id", t.ID).Error; err != nil {
			return DetaineeView{}, err
		}
		if err := tx.Model(&Relative{}).Where("detainee_id = ?", d.ID).Update("detainee_id", t.ID).Error; err != nil {
			return DetaineeView{}, fmt.Errorf("merge: move relatives: %w", err)
		}
		// The links to cases as a co-defendant follow the person too
		// (issue 25); a link that would duplicate one of the kept
		// record's, or name it in a case it is now the principal of, goes.
		if err := moveCaseDetainees(tx, d.ID, t.ID); err != nil {
			return DetaineeView{}, fmt.Errorf("merge: move case links: %w", err)
		}
		old := t.Version
		t.Version, t.UpdatedAt = old+1, now
		if err := record.SaveVersioned(tx, t, old); err != nil {
			return DetaineeView{}, err
		}
		if err := tx.Delete(&Detainee{}, "id = ?", d.ID).Error; err != nil {
			return DetaineeView{}, fmt.Errorf("merge: delete: %w", err)
		}
		// The name index follows: the kept record gains the merged names,
		// the merged record's rows go.
		if err := indexRecords(tx, t); err != nil {
			return DetaineeView{}, fmt.Errorf("merge: %w", err)
		}
		if err := deleteIndex(tx, ownerDetainee, d.ID); err != nil {
			return DetaineeView{}, fmt.Errorf("merge: %w", err)
		}
		if caseIDs == nil {
			caseIDs = []string{}
		}
		entries := make([]audit.Entry, 0, len(caseIDs)+2)
		entries = append(entries, audit.Entry{Action: "detainee.merge", ObjectType: "detainee", ObjectID: d.ID, Details: map[string]any{
			"into": t.ID, "into_name": t.Name, "reason": reason, "cases": caseIDs, "removed": true}})
		det := ch.Details()
		det["merged_from"], det["merged_name"], det["reason"], det["cases"] = d.ID, d.Name, reason, caseIDs
		entries = append(entries, audit.Entry{Action: "detainee.merge", ObjectType: "detainee", ObjectID: t.ID, Details: det})
		for _, c := range caseIDs {
			entries = append(entries, audit.Entry{Action: "case.update", ObjectType: "case", ObjectID: c, CaseID: c, Details: map[string]any{
				"fields": map[string]any{"detainee_id": t.ID}, "via": "detainee.merge", "merged_from": d.ID}})
		}
		for i := range entries {
			entries[i].ActorID, entries[i].ActorRole = p.UserID, string(p.Role)
		}
		if err := audit.RecordAll(ctx, s.Audit, tx, entries); err != nil {
			return DetaineeView{}, fmt.Errorf("cases: audit: %w", err)
		}
		return detaineeView(tx, p, t)
	})
}

// mergedFields is the input that merges d into t (see MergeDetainee).
func mergedFields(d, t *Detainee) (DetaineeFields, error) {
	var in DetaineeFields
	names := append([]OtherName{}, t.OtherNames...)
	has := map[string]bool{record.Clean(t.Name): true}
	for _, n := range names {
		has[record.Clean(n.Name)] = true
	}
	add := func(n OtherName) {
		if key := record.Clean(n.Name); key != "" && !has[key] {
			has[key] = true
			names = append(names, n)
		}
	}
	add(OtherName{Name: d.Name, Kind: "alias"})
	for _, n := range d.OtherNames {
		add(n)
	}
	if len(names) > record.MaxList {
		return in, apperr.New(apperr.ErrConflict, "too_many_names",
			fmt.Sprintf("together the two records have %d name forms; at most %d: remove some first", len(names), record.MaxList))
	}
	if len(names) != len(t.OtherNames) {
		in.OtherNames = &names
	}
	refs := append([]CrossReference{}, t.CrossReferences...)
	for _, r := range d.CrossReferences {
		dup := false
		for _, x := range refs {
			dup = dup || x == r
		}
		if !dup {
			refs = append(refs, r)
		}
	}
	if len(refs) > record.MaxList {
		return in, apperr.New(apperr.ErrConflict, "too_many_cross_references",
			fmt.Sprintf("together the two records have %d cross references; at most %d: remove some first", len(refs), record.MaxList))
	}
	if len(refs) != len(t.CrossReferences) {
		in.CrossReferences = &refs
	}
	fill := func(dst **string, mine, theirs string) {
		if mine == "" && theirs != "" {
			v := theirs
			*dst = &v
		}
	}
	fill(&in.Sex, t.Sex, d.Sex)
	fill(&in.BornAt, t.BornAt, d.BornAt)
	fill(&in.DiedAt, t.DiedAt, d.DiedAt)
	fill(&in.EthnicGroup, t.EthnicGroup, d.EthnicGroup)
	fill(&in.Religion, t.Religion, d.Religion)
	fill(&in.OccupationCategory, t.OccupationCategory, d.OccupationCategory)
	fill(&in.Occupation, t.Occupation, d.Occupation)
	fill(&in.HomeProvince, t.HomeProvince, d.HomeProvince)
	fill(&in.HomePlace, t.HomePlace, d.HomePlace)
	fill(&in.Nationality, t.Nationality, d.Nationality)
	fill(&in.Issue, t.Issue, d.Issue)
	fill(&in.DetentionStatus, t.DetentionStatus, d.DetentionStatus)
	fill(&in.DetentionPlace, t.DetentionPlace, d.DetentionPlace)
	fill(&in.FacilityType, t.FacilityType, d.FacilityType)
	fill(&in.FamilyContacts, t.FamilyContacts, d.FamilyContacts)
	fill(&in.HomeAddress, t.HomeAddress, d.HomeAddress)
	fill(&in.Source, t.Source, d.Source)
	fill(&in.SourceReliability, t.SourceReliability, d.SourceReliability)
	fill(&in.InformationCredibility, t.InformationCredibility, d.InformationCredibility)
	// Long texts are kept whole: appended under a line naming the merged record.
	appendText := func(dst **string, mine, theirs string) {
		switch {
		case theirs == "" || theirs == mine:
		case mine == "":
			fill(dst, mine, theirs)
		default:
			v := mine + "\n\n[merged from " + d.Name + " (" + d.ID + ")]\n" + theirs
			*dst = &v
		}
	}
	appendText(&in.Summary, t.Summary, d.Summary)
	appendText(&in.HealthConcerns, t.HealthConcerns, d.HealthConcerns)
	appendText(&in.ConfidentialNotes, t.ConfidentialNotes, d.ConfidentialNotes)
	return in, nil
}
