package cases

import (
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// A lawyer record linked to the detainee record of the same person (a
// lawyer who became a detainee, issue 25; docs/case-records.md "Linked
// cases"). lawyers.detainee_id holds the link; admins and coordinators set
// it. Each side shows the other only to a caller who may see it: the
// lawyer's detainee_id to those who see that detainee, the detainee's
// lawyer_id to those who see that lawyer (an observer never sees a
// confidential lawyer, access.LawyerIDVisible).

// setLawyerDetainee validates and applies the detainee link of a lawyer:
// "" clears it, anything else must be a detainee p sees that no other
// lawyer record is linked to.
func setLawyerDetainee(tx *gorm.DB, p *actor.Principal, l *Lawyer, v *string, ch *record.ChangeSet) error {
	if v == nil {
		return nil
	}
	id := strings.TrimSpace(*v)
	cur := ""
	if l.DetaineeID != nil {
		cur = *l.DetaineeID
	}
	if id == cur {
		return nil
	}
	if id == "" {
		l.DetaineeID = nil
		ch.Set("detainee_id", nil, false)
		return nil
	}
	id, ok := record.ParseID(id)
	if !ok {
		return apperr.Field("detainee_id", "no such detainee")
	}
	if id == cur {
		return nil
	}
	if _, err := findDetainee(tx, p, id); errors.Is(err, apperr.ErrNotFound) {
		return apperr.Field("detainee_id", "no such detainee")
	} else if err != nil {
		return err
	}
	n, err := countWhere(tx, &Lawyer{}, "detainee_id = ? AND id <> ?", id, l.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		return apperr.Field("detainee_id", "another lawyer record is already linked to this detainee")
	}
	l.DetaineeID = &id
	ch.Set("detainee_id", id, false)
	return nil
}

// lawyerDetainees sets the detainee_id of each view (the lawyer rows in
// the same order) that p may see. Managers see every detainee.
func lawyerDetainees(tx *gorm.DB, p *actor.Principal, rows []Lawyer, views []LawyerView) error {
	ids := make([]string, 0, len(rows))
	for i := range rows {
		if rows[i].DetaineeID != nil {
			ids = append(ids, *rows[i].DetaineeID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var seen []string
	err := record.Where(tx.Model(&Detainee{}), access.DetaineeIDVisible(p, "detainees.id")).
		Where("detainees.id IN ?", ids).Pluck("detainees.id", &seen).Error
	if err != nil {
		return err
	}
	ok := map[string]bool{}
	for _, id := range seen {
		ok[id] = true
	}
	for i := range rows {
		if d := rows[i].DetaineeID; d != nil && ok[*d] {
			id := *d
			views[i].DetaineeID = &id
		}
	}
	return nil
}

// lawyerView renders l for p with its visible detainee link.
func lawyerView(tx *gorm.DB, p *actor.Principal, l *Lawyer) (LawyerView, error) {
	v := []LawyerView{l.View(p)}
	err := lawyerDetainees(tx, p, []Lawyer{*l}, v)
	return v[0], err
}

// detaineeLawyers sets the lawyer_id of each view (the detainee rows in
// the same order): the lawyer record that is this detainee, if p sees it.
func detaineeLawyers(tx *gorm.DB, p *actor.Principal, views []DetaineeView) error {
	if len(views) == 0 {
		return nil
	}
	ids := make([]string, 0, len(views))
	for i := range views {
		ids = append(ids, views[i].ID)
	}
	var rows []Lawyer
	err := record.Where(tx.Model(&Lawyer{}), access.LawyerIDVisible(p, "lawyers")).
		Select("lawyers.id, lawyers.detainee_id").Where("lawyers.detainee_id IN ?", ids).Find(&rows).Error
	if err != nil {
		return err
	}
	by := map[string]string{}
	for _, l := range rows {
		by[*l.DetaineeID] = l.ID
	}
	for i := range views {
		if id, ok := by[views[i].ID]; ok {
			views[i].LawyerID = &id
		}
	}
	return nil
}

// detaineeView renders d for p with its visible lawyer link.
func detaineeView(tx *gorm.DB, p *actor.Principal, d *Detainee) (DetaineeView, error) {
	v := []DetaineeView{d.View(p)}
	err := detaineeLawyers(tx, p, v)
	return v[0], err
}

// LawyerDetainees sets, for the case export, the detainee_id of each
// lawyer view that p may see (as GET of the lawyer answers it).
func LawyerDetainees(tx *gorm.DB, p *actor.Principal, views []LawyerView) error {
	if len(views) == 0 {
		return nil
	}
	ids := make([]string, 0, len(views))
	for i := range views {
		ids = append(ids, views[i].ID)
	}
	var rows []Lawyer
	if err := tx.Select("id, detainee_id").Where("id IN ? AND detainee_id IS NOT NULL", ids).Find(&rows).Error; err != nil {
		return err
	}
	by := map[string]Lawyer{}
	for _, l := range rows {
		by[l.ID] = l
	}
	ordered := make([]Lawyer, len(views))
	for i := range views {
		ordered[i] = by[views[i].ID]
	}
	return lawyerDetainees(tx, p, ordered, views)
}

// DetaineeLawyer sets, for the case export, the lawyer_id of the detainee
// view (as GET of the detainee answers it).
func DetaineeLawyer(tx *gorm.DB, p *actor.Principal, v *DetaineeView) error {
	views := []DetaineeView{*v}
	if err := detaineeLawyers(tx, p, views); err != nil {
		return err
	}
	*v = views[0]
	return nil
}
