package support

import "github.com/habeas-org/habeas/internal/record"

// Status is the workflow state of a support action.
type Status = string

// The statuses. proposed -> assigned -> in_progress -> submitted ->
// response_received -> closed is the path of an action; declined and
// cancelled end it from any open state.
const (
	Proposed         Status = "proposed"
	Assigned         Status = "assigned"
	InProgress       Status = "in_progress"
	Submitted        Status = "submitted"
	ResponseReceived Status = "response_received"
	Closed           Status = "closed"
	Declined         Status = "declined"
	Cancelled        Status = "cancelled"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Proposed, Assigned, InProgress, Submitted, ResponseReceived, Closed, Declined, Cancelled}

// OpenStatuses are the statuses of an action still under way; the others
// (closed, declined, cancelled) are final.
var OpenStatuses = []Status{Proposed, Assigned, InProgress, Submitted, ResponseReceived}

// StatusVocabulary is the status vocabulary with labels.
var StatusVocabulary = record.Vocabulary{
	{Value: Proposed, Label: "Proposed"},
	{Value: Assigned, Label: "Assigned"},
	{Value: InProgress, Label: "In progress"},
	{Value: Submitted, Label: "Submitted"},
	{Value: ResponseReceived, Label: "Response received"},
	{Value: Closed, Label: "Closed"},
	{Value: Declined, Label: "Declined"},
	{Value: Cancelled, Label: "Cancelled"},
}

// next is the one forward step from each open status.
var next = map[Status]Status{
	Proposed:         Assigned,
	Assigned:         InProgress,
	InProgress:       Submitted,
	Submitted:        ResponseReceived,
	ResponseReceived: Closed,
}

// IsOpen reports whether s is an open status.
func IsOpen(s Status) bool {
	_, ok := next[s]
	return ok
}

// ValidStatus reports whether s is a status.
func ValidStatus(s Status) bool { return StatusVocabulary.Has(s) }

// Allowed reports whether an action may move from one status to another:
// one step forward along the workflow, or to declined or cancelled from any
// open status. Staying in the same status is not a transition.
func Allowed(from, to Status) bool {
	if !IsOpen(from) {
		return false
	}
	return next[from] == to || to == Declined || to == Cancelled
}

// AllowedFrom lists the statuses an action in status from may move to.
func AllowedFrom(from Status) []Status {
	out := []Status{}
	for _, to := range Statuses {
		if Allowed(from, to) {
			out = append(out, to)
		}
	}
	return out
}
