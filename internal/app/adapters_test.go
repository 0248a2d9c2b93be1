package app

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// The event vocabulary of the timeline is a superset of the event types the
// deadline engine reads, spelled the same (the two packages do not import
// each other, so this is where they meet).
func TestEventTypesCoverDeadlineEvents(t *testing.T) {
	for _, typ := range []string{deadlines.EvFamilyNotified, deadlines.EvMeetingRequested, deadlines.EvMeetingGranted,
		deadlines.EvCustodyExtended, deadlines.EvCustodyRecalculated, deadlines.EvTransferredForProsc,
		deadlines.EvReturnedForSuppInv, deadlines.EvReviewExtended, deadlines.EvCourtAccepted, deadlines.EvTrialExtended,
		deadlines.EvJudgmentReceived, deadlines.EvAppealAccepted, deadlines.EvSecondInstExtended, deadlines.EvSecondInstVerdict, deadlines.EvInterrogated, deadlines.EvTransferredToDC,
		deadlines.EvSentenceCommuted, deadlines.EvRelease} {
		if _, ok := timeline.EventTypes.Lookup(typ); !ok {
			t.Errorf("event type %s (internal/deadlines) missing from the vocabulary", typ)
		}
	}
	// The extension events whose months the rules read.
	if want := []string{deadlines.EvCustodyExtended, deadlines.EvSentenceCommuted}; !slices.Equal(timeline.ExtensionTypes, want) {
		t.Errorf("timeline.ExtensionTypes = %v; want %v", timeline.ExtensionTypes, want)
	}
}

// A support_action item of the timeline is, in JSON, exactly the
// internal/support timeline item it comes from.
func TestSupportChangeJSON(t *testing.T) {
	at := time.Date(2024, 3, 5, 17, 30, 0, 0, time.UTC)
	it := support.TimelineItem{Date: "2024-03-06", At: at, Kind: support.TimelineKind, ID: "0190d3a4-0000-7000-8000-000000000001",
		ChangeID: "0190d3a4-0000-7000-8000-000000000002", Title: "Urgent appeal — UN WGAD", Type: "urgent_appeal",
		Status: "sent", FromStatus: "drafted", Confidential: true}
	want, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	if support.TimelineKind != timeline.KindSupportAction {
		t.Errorf("support.TimelineKind %q, timeline.KindSupportAction %q", support.TimelineKind, timeline.KindSupportAction)
	}
	got, err := json.Marshal(supportChange(it))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("support_action JSON\n got %s\nwant %s", got, want)
	}
}
