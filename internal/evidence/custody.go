package evidence

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

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
	return s.custodyPage(ctx, p, audit.Filter{ObjectType: objectType, ObjectID: it.ID, CaseID: it.CaseID, Limit: limit}, cursor)
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
	return s.custodyPage(ctx, p, audit.Filter{ObjectType: objectType, CaseID: caseID, Scope: &scope, Limit: limit}, cursor)
}

// custodyPage reads one page of custody entries selected by f. The cursor
// names the last entry of the previous page by its time and hash, not by
// its sequence number; who acted is shown only to those who may know it
// (access.SeesWhoActed), the role to everyone.
func (s *Service) custodyPage(ctx context.Context, p *actor.Principal, f audit.Filter, cursor string) (CustodyPage, error) {
	out := CustodyPage{Items: []CustodyEntry{}}
	if cursor != "" {
		ref, ok := parseCustodyCursor(cursor)
		if !ok {
			return out, apperr.Field("cursor", "not a cursor returned by this endpoint")
		}
		f.BeforeEntry = &ref
	}
	page, err := s.custody.List(ctx, f)
	if err != nil {
		return out, err
	}
	who := access.SeesWhoActed(p)
	for _, r := range page.Items {
		e := CustodyEntry{EvidenceID: r.ObjectID, At: r.At, Action: r.Action, Outcome: r.Outcome,
			ActorRole: r.ActorRole, Hash: r.Hash, Details: map[string]any{}}
		if who {
			e.Seq, e.ActorID, e.RequestID = r.Seq, r.ActorID, r.RequestID
		}
		_ = json.Unmarshal([]byte(r.Details), &e.Details)
		out.Items = append(out.Items, e)
	}
	if page.NextCursor != "" && len(page.Items) > 0 {
		last := page.Items[len(page.Items)-1]
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(last.At + "|" + last.Hash))
	}
	return out, nil
}

// parseCustodyCursor reads a cursor made by custodyPage.
func parseCustodyCursor(c string) (audit.EntryRef, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return audit.EntryRef{}, false
	}
	at, hash, ok := strings.Cut(string(raw), "|")
	if !ok || len(at) != len(audit.TimeFormat) || len(hash) != 64 {
		return audit.EntryRef{}, false
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return audit.EntryRef{}, false
	}
	if _, err := time.Parse(audit.TimeFormat, at); err != nil {
		return audit.EntryRef{}, false
	}
	return audit.EntryRef{At: at, Hash: hash}, true
}
