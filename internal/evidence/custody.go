package evidence

import (
	"context"
	"encoding/json"
	"strconv"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// Custody lists the audit entries of an item (its chain of custody), newest first.
func (s *Service) Custody(ctx context.Context, p *actor.Principal, caseID, id, cursor string, limit int) (CustodyPage, error) {
	it, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (*Item, error) {
		return findItem(tx, p, caseID, id, shown...)
	})
	if err != nil {
		return CustodyPage{Items: []CustodyEntry{}}, err
	}
	return s.custodyPage(ctx, audit.Filter{ObjectType: objectType, ObjectID: it.ID, CaseID: it.CaseID, Limit: limit}, cursor)
}

// CaseCustody lists the custody entries of every evidence item of a case
// the caller may see, newest first. Items hidden from the caller
// (confidential ones for observers) contribute no entry.
func (s *Service) CaseCustody(ctx context.Context, p *actor.Principal, caseID, cursor string, limit int) (CustodyPage, error) {
	_, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (struct{}, error) {
		return struct{}{}, record.CaseVisible(tx, p, caseID)
	})
	if err != nil {
		return CustodyPage{Items: []CustodyEntry{}}, err
	}
	c := access.EvidenceVisible(p, "evidence")
	scope := access.Cond{
		SQL:  "object_id IN (SELECT evidence.id FROM evidence WHERE evidence.case_id = ? AND evidence.status IN ? AND (" + c.SQL + "))",
		Args: append([]any{caseID, shown}, c.Args...),
	}
	return s.custodyPage(ctx, audit.Filter{ObjectType: objectType, CaseID: caseID, Scope: &scope, Limit: limit}, cursor)
}

// custodyPage reads one page of custody entries selected by f.
func (s *Service) custodyPage(ctx context.Context, f audit.Filter, cursor string) (CustodyPage, error) {
	out := CustodyPage{Items: []CustodyEntry{}}
	if cursor != "" {
		before, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || before <= 0 {
			return out, apperr.Field("cursor", "not a cursor returned by this endpoint")
		}
		f.Before = before
	}
	page, err := s.custody.List(ctx, f)
	if err != nil {
		return out, err
	}
	for _, r := range page.Items {
		e := CustodyEntry{Seq: r.Seq, EvidenceID: r.ObjectID, At: r.At, Action: r.Action, Outcome: r.Outcome, ActorID: r.ActorID,
			ActorRole: r.ActorRole, RequestID: r.RequestID, Hash: r.Hash, Details: map[string]any{}}
		_ = json.Unmarshal([]byte(r.Details), &e.Details)
		out.Items = append(out.Items, e)
	}
	out.NextCursor = page.NextCursor
	return out, nil
}
