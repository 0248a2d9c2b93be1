package cases

import (
	"regexp"
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// UN communications (issue 25, docs/un.md): each communication a UN body
// (the Working Group on Arbitrary Detention, special rapporteurs) sent to
// the government about the case is a record of the case, with the
// government's reply clock (reply_due_at, by default 60 days after
// transmission: the UN body's practice, not a rule of PRC law), the reply,
// the WGAD opinion and the follow-up. The time-limit engine reads the clock
// (internal/deadlines, rule un_government_reply).

// UNReplyDays is the reply period the UN bodies give the government by
// default: the WGAD's methods of work (A/HRC/36/38) and the special
// procedures' communications ask for a reply within 60 days.
const UNReplyDays = 60

// UNCommunicationKinds is the vocabulary of kinds of UN communication.
var UNCommunicationKinds = record.Vocabulary{
	{Value: "wgad_regular", Label: "WGAD regular communication (opinion procedure)"},
	{Value: "wgad_urgent", Label: "WGAD urgent appeal"},
	{Value: "special_procedures", Label: "Special procedures communication (urgent appeal, allegation letter, joint communication)"},
}

// UNCommunication is one row of un_communications.
type UNCommunication struct {
	ID            string `gorm:"primaryKey"`
	CaseID        string
	Kind          string
	Reference     string
	Body          string
	SubmittedAt   string
	TransmittedAt string
	ReplyDueAt    string
	RepliedAt     string
	ReplySummary  string
	OpinionNumber string
	OpinionDate   string
	FollowUp      string
	Confidential  bool
	Version       int64
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeletedAt     *time.Time
}

// TableName is the un_communications table.
func (UNCommunication) TableName() string { return "un_communications" }

// UNCommunicationFields are the settable fields of a UN communication.
// Absent leaves a field as is; "" clears it (kind may not be cleared). An
// absent reply_due_at follows transmitted_at (60 days after it) while it
// is the default.
type UNCommunicationFields struct {
	Kind          *string `json:"kind"`
	Reference     *string `json:"reference"`
	Body          *string `json:"body"`
	SubmittedAt   *string `json:"submitted_at"`
	TransmittedAt *string `json:"transmitted_at"`
	ReplyDueAt    *string `json:"reply_due_at"`
	RepliedAt     *string `json:"replied_at"`
	ReplySummary  *string `json:"reply_summary"`
	OpinionNumber *string `json:"opinion_number"`
	OpinionDate   *string `json:"opinion_date"`
	FollowUp      *string `json:"follow_up"`
	Confidential  *bool   `json:"confidential"`
}

// opinionNumber is a WGAD opinion number, "62/2018" (an optional "No."
// before it is dropped).
var opinionNumber = regexp.MustCompile(`^(?i:no\.?\s*)?(\d{1,4}/\d{4})$`)

// defaultReplyDue is the reply due day 60 days after transmitted ("" when
// transmitted is "").
func defaultReplyDue(transmitted string) string {
	d, err := time.Parse(time.DateOnly, transmitted)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, UNReplyDays).Format(time.DateOnly)
}

// apply validates in into u. The reply summary and follow-up are named,
// not copied, in the audit entry; when the communication is confidential,
// so are its reference and body.
func (u *UNCommunication) apply(in UNCommunicationFields, c *record.ChangeSet) {
	if in.Confidential != nil && *in.Confidential != u.Confidential {
		u.Confidential = *in.Confidential
		c.Set("confidential", u.Confidential, false)
	}
	secret := u.Confidential
	c.RequiredVocab(&u.Kind, in.Kind, "kind", UNCommunicationKinds)
	c.Text(&u.Reference, in.Reference, "reference", record.MaxShort, secret)
	c.Text(&u.Body, in.Body, "body", record.MaxShort, secret)
	c.Day(&u.SubmittedAt, in.SubmittedAt, "submitted_at")
	wasDefault := u.ReplyDueAt == "" || u.ReplyDueAt == defaultReplyDue(u.TransmittedAt)
	c.Day(&u.TransmittedAt, in.TransmittedAt, "transmitted_at")
	if in.ReplyDueAt != nil && strings.TrimSpace(*in.ReplyDueAt) != "" {
		c.Day(&u.ReplyDueAt, in.ReplyDueAt, "reply_due_at")
	} else if in.ReplyDueAt != nil || wasDefault {
		// "" or absent while it was the default: 60 days after transmission.
		due := defaultReplyDue(u.TransmittedAt)
		c.Day(&u.ReplyDueAt, &due, "reply_due_at")
	}
	c.Day(&u.RepliedAt, in.RepliedAt, "replied_at")
	c.Text(&u.ReplySummary, in.ReplySummary, "reply_summary", record.MaxLong, true)
	if in.OpinionNumber != nil {
		v := strings.TrimSpace(*in.OpinionNumber)
		if m := opinionNumber.FindStringSubmatch(v); m != nil {
			v = m[1]
		} else if v != "" {
			c.Fail("opinion_number", "use the form 62/2018 (number/year)")
		}
		c.Text(&u.OpinionNumber, &v, "opinion_number", record.MaxShort, false)
	}
	c.Day(&u.OpinionDate, in.OpinionDate, "opinion_date")
	c.Text(&u.FollowUp, in.FollowUp, "follow_up", record.MaxLong, true)
	// Days "YYYY-MM-DD" compare as text.
	if u.TransmittedAt != "" && u.SubmittedAt != "" && u.TransmittedAt < u.SubmittedAt {
		c.FailCode("transmitted_at", apperr.FieldBeforeStart, "before submitted_at")
	}
	if u.ReplyDueAt != "" && u.TransmittedAt == "" {
		c.FailCode("reply_due_at", apperr.FieldInvalid, "needs transmitted_at: the reply is due counted from transmission")
	}
	if u.TransmittedAt != "" && u.ReplyDueAt != "" && u.ReplyDueAt < u.TransmittedAt {
		c.FailCode("reply_due_at", apperr.FieldBeforeStart, "before transmitted_at")
	}
	if u.TransmittedAt != "" && u.RepliedAt != "" && u.RepliedAt < u.TransmittedAt {
		c.FailCode("replied_at", apperr.FieldBeforeStart, "before transmitted_at")
	}
	if u.SubmittedAt != "" && u.OpinionDate != "" && u.OpinionDate < u.SubmittedAt {
		c.FailCode("opinion_date", apperr.FieldBeforeStart, "before submitted_at")
	}
}

// buildUNCommunication returns the communication CreateUNCommunication
// would store for in.
func buildUNCommunication(id, caseID, createdBy string, at time.Time, in UNCommunicationFields) (*UNCommunication, *record.ChangeSet) {
	u := &UNCommunication{ID: id, CaseID: caseID, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	if in.Kind == nil {
		ch.FailCode("kind", apperr.FieldRequired, "required")
	}
	u.apply(in, ch)
	return u, ch
}

// UNCommunicationView is a UN communication as the API answers it.
type UNCommunicationView struct {
	ID            string    `json:"id"`
	CaseID        string    `json:"case_id"`
	Kind          string    `json:"kind"`
	Reference     string    `json:"reference"`
	Body          string    `json:"body"`
	SubmittedAt   *string   `json:"submitted_at"`
	TransmittedAt *string   `json:"transmitted_at"`
	ReplyDueAt    *string   `json:"reply_due_at"`
	RepliedAt     *string   `json:"replied_at"`
	ReplySummary  string    `json:"reply_summary"`
	OpinionNumber string    `json:"opinion_number"`
	OpinionDate   *string   `json:"opinion_date"`
	FollowUp      string    `json:"follow_up"`
	Confidential  bool      `json:"confidential"`
	Version       int64     `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// View renders u (only callers who may see it get it at all).
func (u *UNCommunication) View() UNCommunicationView {
	return UNCommunicationView{
		ID: u.ID, CaseID: u.CaseID, Kind: u.Kind, Reference: u.Reference, Body: u.Body,
		SubmittedAt: date(u.SubmittedAt), TransmittedAt: date(u.TransmittedAt), ReplyDueAt: date(u.ReplyDueAt),
		RepliedAt: date(u.RepliedAt), ReplySummary: u.ReplySummary, OpinionNumber: u.OpinionNumber,
		OpinionDate: date(u.OpinionDate), FollowUp: u.FollowUp, Confidential: u.Confidential, Version: u.Version,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC(),
	}
}
