package access

import "github.com/habeas-org/habeas/internal/actor"

// MayAdministerJobs reports whether p may see the background job queue and
// retry its jobs (admin only; docs/jobs.md). The view never shows a job's
// arguments, only its kind, state, attempts and errors.
func MayAdministerJobs(p *actor.Principal) bool {
	return p != nil && p.UserID != "" && p.Role == actor.Admin
}
