package dossier

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
)

// Service exports a case as a PDF document. It reads every part through
// Sources inside one transaction, as the caller may see it, and writes the
// audit entry (with the document id printed on the cover) in that
// transaction; after the commit it composes the document and streams it.
type Service struct {
	db      *db.DB
	audit   audit.Recorder
	fonts   *Fonts
	sources Sources
	log     *slog.Logger
	now     func() time.Time
	// organisation is the name the documents' metadata carries.
	organisation string
}

// DefaultOrganisation is the organisation documents name when the instance
// sets none.
const DefaultOrganisation = "Habeas"

// SetOrganisation sets the organisation name the documents carry (""
// keeps DefaultOrganisation).
func (s *Service) SetOrganisation(name string) {
	if name = strings.TrimSpace(name); name != "" {
		s.organisation = name
	}
}

// NewService returns the export service. fonts come from FindFonts; src
// must have a Case source (internal/app wires every source).
func NewService(d *db.DB, rec audit.Recorder, fonts *Fonts, src Sources, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, audit: rec, fonts: fonts, sources: src, log: log, now: func() time.Time { return time.Now().UTC() },
		organisation: DefaultOrganisation}
}

// Fonts returns the fonts the service renders with.
func (s *Service) Fonts() *Fonts { return s.fonts }

// Request says which document to export.
type Request struct {
	CaseID   string
	Kind     Kind
	Audience Audience // dossier only; the WGAD draft is always external
	Lang     Lang
	// ODT asks for the WGAD draft as an editable OpenDocument text file
	// (odt.go) instead of a PDF: the same content.
	ODT bool
}

var (
	errInternalForbidden = apperr.New(apperr.ErrForbidden, "dossier_internal_forbidden",
		"your role may export only the external dossier (audience=external)")
	errWGADForbidden = apperr.New(apperr.ErrForbidden, "wgad_draft_forbidden",
		"only admins, coordinators and the case's lawyers prepare petition drafts")
	errFonts = apperr.New(apperr.ErrUnavailable, "pdf_font_missing",
		"the fonts this document needs are not installed on the server (see /readyz and docs/dossier.md)")
	errNoCaseSource = errors.New("dossier: no case source wired")
)

func (q *Request) check() error {
	fields := map[string]string{}
	switch q.Kind {
	case KindDossier:
		if q.Audience == "" {
			q.Audience = External
		}
		if q.Audience != Internal && q.Audience != External {
			fields["audience"] = "internal or external"
		}
	case KindWGAD:
		q.Audience = External
	default:
		return fmt.Errorf("dossier: kind %q", q.Kind)
	}
	if q.Lang == "" {
		q.Lang = English
	}
	if q.Lang != English && q.Lang != Chinese && q.Lang != Bilingual {
		fields["lang"] = "en, zh or bilingual"
	}
	if len(fields) > 0 {
		return apperr.Invalid("validation_failed", "the request has invalid parameters", fields)
	}
	return nil
}

// Export builds and audits the document, then calls start with its file
// name and writes the PDF to the writer start returns. Until start is
// called, nothing is sent and an error can still be answered; a case p may
// not see is not found.
func (s *Service) Export(ctx context.Context, p *actor.Principal, q Request, start func(filename string) io.Writer) error {
	if p == nil || p.UserID == "" {
		return apperr.New(apperr.ErrUnauthenticated, "unauthenticated", "sign in first")
	}
	if err := q.check(); err != nil {
		return err
	}
	if s.sources.Case == nil {
		return errNoCaseSource
	}
	internal := q.Kind == KindDossier && q.Audience == Internal
	doc := &Document{ID: uuid.Must(uuid.NewV7()).String(), Kind: q.Kind, Lang: q.Lang, Audience: q.Audience,
		GeneratedAt: s.now(), GeneratedBy: p.Email + " (" + string(p.Role) + ")", Organisation: s.organisation}
	ctx = actor.WithPrincipal(ctx, p)
	// A read: no write transaction (on SQLite the single write lock); the
	// export's audit entry is group-committed before ReadTx returns, so it
	// is durable before a byte of the document is written.
	err := audit.ReadTx(ctx, s.db, s.audit, func(tx *gorm.DB) error {
		doc.Unavailable = nil // a second run (db.ReadTx after a broken connection) starts over
		cd, err := s.sources.Case.CaseData(ctx, tx, p, q.CaseID, internal)
		if err != nil {
			return err
		}
		switch {
		case q.Kind == KindWGAD && !access.MayDraftWGAD(p):
			return errWGADForbidden
		case q.Kind == KindDossier && !access.MayExportDossier(p, internal):
			return errInternalForbidden
		}
		if err := s.fill(ctx, tx, p, q.CaseID, doc, cd, internal); err != nil {
			return err
		}
		if err := Require(doc, s.fonts); err != nil {
			s.log.Error("dossier export refused: font missing", "error", err.Error())
			return errFonts
		}
		action := "case.dossier_export"
		if q.Kind == KindWGAD {
			action = "case.wgad_draft_export"
		}
		return s.audit.Record(ctx, tx, audit.Entry{Action: action, ActorID: p.UserID, ActorRole: string(p.Role),
			ObjectType: "case", ObjectID: q.CaseID, CaseID: q.CaseID, Details: map[string]any{
				"document_id": doc.ID, "audience": string(doc.Audience), "lang": string(doc.Lang), "format": format(q.ODT),
				"chronology_items": len(doc.Chronology), "evidence_items": len(doc.Evidence), "support_actions": len(doc.Support),
			}})
	})
	if err != nil {
		return err
	}
	if q.ODT {
		out, err := ComposeODT(doc, s.fonts, s.sources.Terms)
		if err != nil {
			s.log.Error("dossier compose failed", "document_id", doc.ID, "error", err.Error())
			return err
		}
		if _, err := start("habeas-wgad-draft-" + doc.ID + ".odt").Write(out); err != nil {
			return fmt.Errorf("dossier: write %s: %w", doc.ID, err)
		}
		return nil
	}
	// Composed after the read, outside its transaction: composing a large
	// case takes a noticeable fraction of a second. A failure here leaves the audit entry of the attempt; the log
	// names its document id.
	out, err := Compose(doc, s.fonts, s.sources.Terms)
	if err != nil {
		s.log.Error("dossier compose failed", "document_id", doc.ID, "error", err.Error())
		return err
	}
	name := "habeas-dossier-" + doc.ID + ".pdf"
	if q.Kind == KindWGAD {
		name = "habeas-wgad-draft-" + doc.ID + ".pdf"
	}
	if _, err := out.WriteTo(start(name)); err != nil {
		return fmt.Errorf("dossier: write %s: %w", doc.ID, err)
	}
	return nil
}

// format is the audit name of the file format.
func format(odt bool) string {
	if odt {
		return "odt"
	}
	return "pdf"
}

// fill reads the other sources into doc and computes the time limits.
func (s *Service) fill(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, doc *Document, cd *CaseData, internal bool) error {
	doc.Detainee, doc.Case, doc.Lawyers = cd.Detainee, cd.Case, cd.Lawyers
	var events []RuleEvent
	if s.sources.Timeline != nil {
		tl, err := s.sources.Timeline.Timeline(ctx, tx, p, caseID, internal)
		if err != nil {
			return fmt.Errorf("dossier: timeline: %w", err)
		}
		doc.Chronology, events = tl.Items, tl.Events
	} else {
		doc.Unavailable = append(doc.Unavailable, SecChronology)
	}
	if s.sources.Support != nil {
		sa, err := s.sources.Support.Support(ctx, tx, p, caseID, internal)
		if err != nil {
			return fmt.Errorf("dossier: support: %w", err)
		}
		doc.Support = sa
	} else {
		doc.Unavailable = append(doc.Unavailable, SecSupport)
	}
	if s.sources.Evidence != nil {
		ev, err := s.sources.Evidence.Evidence(ctx, tx, p, caseID, internal)
		if err != nil {
			return fmt.Errorf("dossier: evidence: %w", err)
		}
		doc.Evidence = ev
	} else {
		doc.Unavailable = append(doc.Unavailable, SecEvidence)
	}
	if s.sources.TimeLimits != nil {
		doc.TimeLimits = s.sources.TimeLimits(cd, events, doc.GeneratedAt)
	} else {
		doc.Unavailable = append(doc.Unavailable, SecTimeLimits)
	}
	if s.sources.Release != nil {
		doc.Case.ExpectedRelease = s.sources.Release(cd, events)
	}
	if !internal { // the sources were asked for no confidential material; make sure of it
		stripConfidential(doc)
	}
	return nil
}

// stripConfidential removes every confidential value and item from doc.
func stripConfidential(doc *Document) {
	doc.Detainee.FamilyContacts, doc.Detainee.HomeAddress, doc.Detainee.ConfidentialNotes = "", "", ""
	doc.Case.ConfidentialNotes = ""
	if doc.Case.UNConsent != nil {
		c := *doc.Case.UNConsent
		c.By = ""
		doc.Case.UNConsent = &c
	}
	doc.Case.Custody = keep(doc.Case.Custody, func(c CustodyPeriod) bool { return !c.Confidential })
	doc.Case.UN = keep(doc.Case.UN, func(u UNCommunication) bool { return !u.Confidential })
	doc.Lawyers = keep(doc.Lawyers, func(l Lawyer) bool { return !l.Confidential })
	doc.Detainee.Relatives = keep(doc.Detainee.Relatives, func(r Relative) bool { return !r.Confidential })
	for i := range doc.Detainee.Relatives {
		doc.Detainee.Relatives[i].Contact, doc.Detainee.Relatives[i].Address = "", ""
	}
	for i := range doc.Lawyers {
		doc.Lawyers[i].Contact = ""
	}
	doc.Chronology = keep(doc.Chronology, func(c ChronologyItem) bool { return !c.Confidential })
	doc.Support = keep(doc.Support, func(s SupportAction) bool { return !s.Confidential })
	doc.Evidence = keep(doc.Evidence, func(e EvidenceItem) bool { return !e.Confidential })
}

func keep[T any](in []T, ok func(T) bool) []T {
	out := in[:0:0]
	for _, v := range in {
		if ok(v) {
			out = append(out, v)
		}
	}
	return out
}
