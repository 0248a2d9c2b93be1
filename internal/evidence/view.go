package evidence

import "time"

// View is an item as the API shows it.
type View struct {
	ID           string     `json:"id"`
	CaseID       string     `json:"case_id"`
	Status       Status     `json:"status"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	Kind         string     `json:"kind"`
	Source       string     `json:"source"`
	CapturedAt   *string    `json:"captured_at"`
	Language     string     `json:"language"`
	Confidential bool       `json:"confidential"`
	LinkedEvents []string   `json:"linked_events"`
	Filename     string     `json:"filename"`
	DeclaredType string     `json:"declared_type"`
	DetectedType string     `json:"detected_type"`
	TypeMismatch bool       `json:"type_mismatch"`
	Size         int64      `json:"size"`
	SHA256       string     `json:"sha256"`
	Integrity    string     `json:"integrity"`
	VerifiedAt   *time.Time `json:"verified_at"`
	Version      int64      `json:"version"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	DeletedAt    *time.Time `json:"deleted_at,omitempty"`
	DeleteReason string     `json:"delete_reason,omitempty"`
	PurgeAfter   *time.Time `json:"purge_after,omitempty"`
	PurgedAt     *time.Time `json:"purged_at,omitempty"`
}

// View returns the API form of it.
func (it *Item) View() View {
	v := View{
		ID: it.ID, CaseID: it.CaseID, Status: it.Status, Title: it.Title, Description: it.Description,
		Kind: it.Kind, Source: it.Source, Language: it.Language, Confidential: it.Confidential,
		LinkedEvents: []string(it.LinkedEvents), Filename: it.Filename, DeclaredType: it.DeclaredType,
		DetectedType: it.DetectedType, TypeMismatch: it.TypeMismatch, Size: it.Size, SHA256: it.SHA256,
		Integrity: it.Integrity, VerifiedAt: utc(it.VerifiedAt), Version: it.Version, CreatedBy: it.CreatedBy,
		CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC(), DeletedAt: utc(it.DeletedAt),
		DeleteReason: it.DeleteReason, PurgeAfter: utc(it.PurgeAfter), PurgedAt: utc(it.PurgedAt),
	}
	if v.LinkedEvents == nil {
		v.LinkedEvents = []string{}
	}
	if it.CapturedAt != "" {
		s := it.CapturedAt
		v.CapturedAt = &s
	}
	return v
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Page is one page of items, newest first.
type Page struct {
	Items      []View `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// CustodyEntry is one audited event of an item's chain of custody. Seq,
// ActorID and RequestID are left out for callers who may not learn which
// staff member acted (access.SeesWhoActed: observers).
type CustodyEntry struct {
	Seq        int64          `json:"seq,omitempty"`
	EvidenceID string         `json:"evidence_id"`
	At         string         `json:"at"`
	Action     string         `json:"action"`
	Outcome    string         `json:"outcome"`
	ActorID    string         `json:"actor_id,omitempty"`
	ActorRole  string         `json:"actor_role"`
	RequestID  string         `json:"request_id,omitempty"`
	Details    map[string]any `json:"details"`
	Hash       string         `json:"hash"`
}

// CustodyPage is one page of an item's custody entries, newest first.
type CustodyPage struct {
	Items      []CustodyEntry `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}
