package timeline

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// findEvent finds an event of caseID that p may see (deleted ones too).
func findEvent(tx *gorm.DB, p *actor.Principal, caseID, id string) (*Event, error) {
	var ev Event
	err := record.Where(tx, access.TimelineRowVisible(p, "case_events")).
		Where("case_events.case_id = ? AND case_events.id = ?", caseID, id).Take(&ev).Error
	if err != nil {
		return nil, record.NotFound(err, "event")
	}
	return &ev, nil
}

// findHearing finds a hearing of caseID that p may see.
func findHearing(tx *gorm.DB, p *actor.Principal, caseID, id string) (*Hearing, error) {
	var h Hearing
	err := record.Where(tx, access.TimelineRowVisible(p, "hearings")).
		Where("hearings.case_id = ? AND hearings.id = ?", caseID, id).Take(&h).Error
	if err != nil {
		return nil, record.NotFound(err, "hearing")
	}
	return &h, nil
}

// revisions returns the event's revisions, oldest first. Callers who may
// not read confidential content get only the revisions whose state was not
// confidential (an event made public later does not reveal what it said
// while it was confidential).
func revisions(tx *gorm.DB, p *actor.Principal, eventID string) ([]RevisionView, error) {
	var rows []Revision
	if err := tx.Where("event_id = ?", eventID).Order("version").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := []RevisionView{}
	for i := range rows {
		v, ok := rows[i].View()
		if !ok {
			return nil, errors.New("timeline: unreadable revision state of event " + eventID)
		}
		if v.State.Confidential && !access.SeesConfidential(p) {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// writeRevision stores the state of ev after a change.
func writeRevision(tx *gorm.DB, ev *Event, change, reason, by string) error {
	r, err := NewRevision(record.NewID(), ev, change, reason, by)
	if err != nil {
		return err
	}
	return tx.Create(r).Error
}

// checkRefs checks that the lawyer concerned is one p sees and that every
// linked evidence item is an available item of the same case.
func checkRefs(tx *gorm.DB, p *actor.Principal, ev *Event, ch map[string]any) error {
	if _, changed := ch["lawyer_id"]; changed && ev.LawyerID != nil {
		var n int64
		if err := tx.Table("lawyers").Scopes(access.Lawyers(p)).Where("lawyers.id = ?", *ev.LawyerID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.Field("lawyer_id", "no such lawyer")
		}
	}
	if _, changed := ch["relative_id"]; changed && ev.RelativeID != nil {
		// A relative of the case's detainee that p sees (issue 25: pressure on the family).
		var n int64
		vis := access.RelativeVisible(p, "detainee_relatives")
		err := tx.Table("detainee_relatives").Where(vis.SQL, vis.Args...).
			Where("detainee_relatives.id = ? AND detainee_relatives.deleted_at IS NULL", *ev.RelativeID).
			Where("detainee_relatives.detainee_id IN (SELECT cases.detainee_id FROM cases WHERE cases.id = ?)", ev.CaseID).Count(&n).Error
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.Field("relative_id", "no such relative of this case's detainee")
		}
	}
	if _, changed := ch["evidence_ids"]; changed && len(ev.EvidenceIDs) > 0 {
		var n int64
		if err := tx.Table("evidence").Where("case_id = ? AND status = ? AND id IN ?", ev.CaseID, "available", []string(ev.EvidenceIDs)).
			Count(&n).Error; err != nil {
			return err
		}
		if n != int64(len(ev.EvidenceIDs)) {
			return apperr.Field("evidence_ids", "every id must be an evidence item of this case")
		}
	}
	return nil
}

// HideLinks removes from the events views, for callers who may not read
// confidential content (observers), every link that would name or reveal
// what they may not see: the ids of confidential evidence items, the link
// to a relative they do not see (relative_id null) and the link to a lawyer
// who must not be named outside (lawyer_id null). Every path that shows
// events (an event and its revisions, the timeline, the case export) calls
// it on what it answers.
func HideLinks(tx *gorm.DB, p *actor.Principal, views []*EventView) error {
	if access.SeesConfidential(p) {
		return nil
	}
	if err := hideRelatives(tx, p, views); err != nil {
		return err
	}
	if err := hideLawyers(tx, views); err != nil {
		return err
	}
	var ids []string
	for _, v := range views {
		ids = append(ids, v.EvidenceIDs...)
	}
	if len(ids) == 0 {
		return nil
	}
	var hidden []string
	if err := tx.Table("evidence").Where("id IN ? AND confidential = ?", ids, true).Pluck("id", &hidden).Error; err != nil {
		return err
	}
	if len(hidden) == 0 {
		return nil
	}
	drop := map[string]bool{}
	for _, id := range hidden {
		drop[id] = true
	}
	for _, v := range views {
		kept := []string{}
		for _, id := range v.EvidenceIDs {
			if !drop[id] {
				kept = append(kept, id)
			}
		}
		v.EvidenceIDs = kept
	}
	return nil
}

// hideLawyers removes the link of an event to a lawyer marked confidential
// ("must not be named outside"), for callers who may not read confidential
// content: the id would let them tell the lawyer's events apart.
func hideLawyers(tx *gorm.DB, views []*EventView) error {
	var ids []string
	for _, v := range views {
		if v.LawyerID != nil {
			ids = append(ids, *v.LawyerID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var hidden []string
	if err := tx.Table("lawyers").Where("lawyers.id IN ? AND lawyers.confidential = ?", ids, true).
		Pluck("lawyers.id", &hidden).Error; err != nil {
		return fmt.Errorf("timeline: confidential lawyers: %w", err)
	}
	drop := map[string]bool{}
	for _, id := range hidden {
		drop[id] = true
	}
	for _, v := range views {
		if v.LawyerID != nil && drop[*v.LawyerID] {
			v.LawyerID = nil
		}
	}
	return nil
}

// hideRelatives removes, for callers who may not read confidential content,
// the link of an event to a relative they may not see (a confidential or
// deleted relative): an observer never learns that one exists.
func hideRelatives(tx *gorm.DB, p *actor.Principal, views []*EventView) error {
	var ids []string
	for _, v := range views {
		if v.RelativeID != nil {
			ids = append(ids, *v.RelativeID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var shown []string
	c := access.RelativeVisible(p, "detainee_relatives")
	if err := tx.Table("detainee_relatives").Where(c.SQL, c.Args...).Where("detainee_relatives.id IN ? AND detainee_relatives.deleted_at IS NULL", ids).
		Pluck("detainee_relatives.id", &shown).Error; err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, id := range shown {
		keep[id] = true
	}
	for _, v := range views {
		if v.RelativeID != nil && !keep[*v.RelativeID] {
			v.RelativeID = nil
		}
	}
	return nil
}
