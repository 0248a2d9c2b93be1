package support

import (
	"errors"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// The store: every query of this package. Each lookup starts from an access
// condition, so an object the principal may not see is not found, exactly
// like one that does not exist. SQL text is built from constants; input is
// only ever a bound argument.

func findAction(tx *gorm.DB, p *actor.Principal, id string) (*Action, error) {
	var a Action
	err := record.Where(tx, access.SupportActionVisible(p, "support_actions")).Where("support_actions.id = ?", id).Take(&a).Error
	if err != nil {
		return nil, record.NotFound(err, "support_action")
	}
	return &a, nil
}

func findPartner(tx *gorm.DB, p *actor.Principal, id string) (*Partner, error) {
	var pt Partner
	err := record.Where(tx, access.PartnerVisible(p, "partners")).Where("partners.id = ?", id).Take(&pt).Error
	if err != nil {
		return nil, record.NotFound(err, "partner")
	}
	return &pt, nil
}

// caseOrActionsVisible reports (as a not-found error) whether p sees the
// case or at least one support action on it.
func caseOrActionsVisible(tx *gorm.DB, p *actor.Principal, caseID string) error {
	err := record.CaseVisible(tx, p, caseID)
	if !errors.Is(err, apperr.ErrNotFound) {
		return err
	}
	var n int64
	if err := record.Where(tx.Model(&Action{}), access.SupportActionVisible(p, "support_actions")).
		Where("support_actions.case_id = ?", caseID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.NotFound("case")
	}
	return nil
}

// partnerUsers returns the ids of the accounts linked to each partner.
func partnerUsers(tx *gorm.DB, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []PartnerUser
	if err := tx.Where("partner_id IN ?", ids).Order("user_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.PartnerID] = append(out[r.PartnerID], r.UserID)
	}
	return out, nil
}

// assignableUser reports whether id is an enabled account that may be
// assigned support actions (admin, coordinator or observer).
func assignableUser(tx *gorm.DB, id string) (bool, error) {
	var n int64
	err := tx.Table("users").Where("id = ? AND disabled = ? AND role IN ?", id, false,
		[]string{string(actor.Admin), string(actor.Coordinator), string(actor.Observer)}).Count(&n).Error
	return n == 1, err
}

// checkReferences checks the assignee and linked evidence of a exist (the
// evidence as items of a's case that are not being uploaded).
func checkReferences(tx *gorm.DB, a *Action, c *record.ChangeSet) error {
	if a.AssigneeUserID != nil {
		ok, err := assignableUser(tx, *a.AssigneeUserID)
		if err != nil {
			return err
		}
		if !ok {
			c.Fail("assignee_user_id", "no enabled admin, coordinator or observer account with this id")
		}
	}
	if a.AssigneePartnerID != nil {
		var n int64
		if err := tx.Model(&Partner{}).Where("id = ?", *a.AssigneePartnerID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			c.Fail("assignee_partner_id", "no such partner")
		}
	}
	if len(a.EvidenceIDs) > 0 {
		var n int64
		if err := tx.Table("evidence").Where("case_id = ? AND id IN ? AND status <> ?", a.CaseID, []string(a.EvidenceIDs), "pending").
			Count(&n).Error; err != nil {
			return err
		}
		if n != int64(len(a.EvidenceIDs)) {
			c.Fail("evidence_ids", "every id must be an evidence item of this case")
		}
	}
	return nil
}

// loadRelated gathers what the views of rows need, seen through p's eyes.
func loadRelated(tx *gorm.DB, p *actor.Principal, rows []Action, today string) (related, error) {
	r := related{detainee: map[string]string{}, partners: map[string]string{}, users: map[string]string{},
		evidence: map[string]bool{}, today: today}
	caseIDs, partnerIDs, userIDs, evidenceIDs := set{}, set{}, set{}, set{}
	for i := range rows {
		caseIDs.add(rows[i].CaseID)
		if rows[i].AssigneePartnerID != nil {
			partnerIDs.add(*rows[i].AssigneePartnerID)
		}
		if rows[i].AssigneeUserID != nil {
			userIDs.add(*rows[i].AssigneeUserID)
		}
		for _, e := range rows[i].EvidenceIDs {
			evidenceIDs.add(e)
		}
	}
	type pair struct{ ID, Name string }
	if len(caseIDs) > 0 {
		var ps []pair
		q := tx.Table("cases").Joins("JOIN detainees ON detainees.id = cases.detainee_id").
			Where("cases.id IN ?", caseIDs.list()).Select("cases.id AS id, detainees.name AS name")
		if err := record.Where(q, access.CaseIDVisible(p, "cases.id")).Scan(&ps).Error; err != nil {
			return r, err
		}
		for _, x := range ps {
			r.detainee[x.ID] = x.Name
		}
	}
	if len(partnerIDs) > 0 {
		var ps []pair
		q := record.Where(tx.Model(&Partner{}), access.PartnerNamed(p, "partners")).Where("partners.id IN ?", partnerIDs.list())
		if err := q.Select("partners.id, partners.name").Scan(&ps).Error; err != nil {
			return r, err
		}
		for _, x := range ps {
			r.partners[x.ID] = x.Name
		}
	}
	if len(userIDs) > 0 && access.ManagesSupport(p) {
		var ps []pair
		if err := tx.Table("users").Where("id IN ?", userIDs.list()).Select("id, name").Scan(&ps).Error; err != nil {
			return r, err
		}
		for _, x := range ps {
			r.users[x.ID] = x.Name
		}
	}
	if len(evidenceIDs) > 0 {
		var ids []string
		q := record.Where(tx.Table("evidence"), access.EvidenceVisible(p, "evidence")).Where("evidence.id IN ?", evidenceIDs.list())
		if err := q.Pluck("evidence.id", &ids).Error; err != nil {
			return r, err
		}
		for _, id := range ids {
			r.evidence[id] = true
		}
	}
	return r, nil
}

type set map[string]struct{}

func (s set) add(v string) { s[v] = struct{}{} }

func (s set) list() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	return out
}
