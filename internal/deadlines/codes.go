package deadlines

// StartEvents lists every start_event a time limit may name: the key date
// or event its period counts from. The web shows each in the reader's
// language (web/src/i18n: codes.startEvents.<name>); api/openapi.yaml
// enumerates the same list (Deadline.start_event).
var StartEvents = []string{
	"period_start", "detained_at", "rsdl_start_at", "arrest_approved_at", "indicted_at", "verdict_at", "appeal_at",
	EvMeetingRequested, EvCustodyRecalculated, EvTransferredForProsc, EvReturnedForSuppInv, EvCourtAccepted,
	EvJudgmentReceived, EvAppealAccepted, StartUNTransmitted,
}
