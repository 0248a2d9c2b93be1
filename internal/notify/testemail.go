package notify

import (
	"context"
	"fmt"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// errNoSMTP answers a test e-mail when no SMTP server is configured.
var errNoSMTP = apperr.New(apperr.ErrUnavailable, "smtp_not_configured", "e-mail is not configured on this server (HABEAS_SMTP_HOST)")

// TestEmail sends a test e-mail to the calling admin's own address, in
// their notification language, and says where it went. 503
// smtp_not_configured without SMTP; the SMTP server's refusal is a 503
// with its reason (never the password). Audited as notification.test_email.
func (s *Service) TestEmail(ctx context.Context, p *actor.Principal) (string, error) {
	if err := record.Authenticated(p); err != nil {
		return "", err
	}
	if p.Role != actor.Admin {
		return "", apperr.New(apperr.ErrForbidden, "forbidden", "admins only")
	}
	if s.mailer == nil {
		return "", errNoSMTP
	}
	st, err := s.Settings(ctx, p)
	if err != nil {
		return "", err
	}
	m := s.testMail(st.Language)
	m.To = st.EmailAddress
	sendErr := s.mailer.Send(ctx, m)
	outcome := audit.OK
	if sendErr != nil {
		outcome = audit.Failed
	}
	if err := s.Audit.Record(actor.WithPrincipal(ctx, p), nil, audit.Entry{Action: "notification.test_email", ObjectType: "user",
		ObjectID: p.UserID, Outcome: outcome, ActorID: p.UserID, ActorRole: string(p.Role)}); err != nil {
		return "", fmt.Errorf("notify: audit: %w", err)
	}
	if sendErr != nil {
		return "", apperr.New(apperr.ErrUnavailable, "smtp_failed", "the SMTP server did not take the test e-mail: "+sendErr.Error())
	}
	return st.EmailAddress, nil
}
