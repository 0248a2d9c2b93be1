package access

import "github.com/habeas-org/habeas/internal/actor"

// Document exports (issue 10). Whoever sees a case may export its external
// dossier (no confidential field, event, support action or evidence item).
// The internal dossier carries confidential material: only those who read
// confidential fields (admin, coordinator, the case's lawyers) may export
// it. An observer asking for it gets 403 dossier_internal_forbidden, not
// 404: the case is visible to them, and the refusal tells them nothing they
// do not already know. The WGAD petition draft (external content) is for
// those who prepare petitions: admin, coordinator and the case's lawyers.

// MayExportDossier reports whether p may export a dossier of a case it sees,
// in the internal version when internal is set.
func MayExportDossier(p *actor.Principal, internal bool) bool {
	if p == nil || p.UserID == "" {
		return false
	}
	return !internal || SeesConfidential(p)
}

// MayDraftWGAD reports whether p may export the WGAD draft of a case it sees.
func MayDraftWGAD(p *actor.Principal) bool { return SeesConfidential(p) }
