package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/idempotency"
)

// routes registers every route of the server, grouped by resource in the
// order of the access matrix (access_matrix_test.go), so this table reads
// as the API. Who may see and do what is decided by the services through
// internal/access, not here; the groups only say which sign-in a route
// needs: none, "pending" (a full access token, even while a password change
// is owed), "authed" (a full sign-in) or "admin".
func routes(r *gin.Engine, d Deps) error {
	r.GET("/livez", livez)
	r.GET("/readyz", readyz(d.Checks))
	r.GET("/api/openapi.yaml", serveSpec)
	docs, err := docsPage()
	if err != nil {
		return err
	}
	r.GET("/api/docs", docs)
	if d.Auth == nil {
		return nil
	}

	v1 := r.Group("/api/v1")
	pending := v1.Group("", authenticate(d.Auth, modeAccessPasswordPending))
	authed := v1.Group("", authenticate(d.Auth, modeAccess), noteDenials(d.Denials))
	admin := authed.Group("", RequireRole(d.Auth, actor.Admin))

	if s := d.Cases; s != nil {
		h := &caseRecordsHandlers{svc: s}
		// Detainees
		authed.GET("/detainees", h.listDetainees)
		authed.POST("/detainees", create(detaineeKind, s.CreateDetainee))
		authed.GET("/detainees/:id", getOne(detaineeKind, s.GetDetainee))
		authed.PATCH("/detainees/:id", update(detaineeKind, s.UpdateDetainee))
		authed.DELETE("/detainees/:id", remove(detaineeKind, s.DeleteDetainee))
		authed.POST("/detainees/:id/merge", update(detaineeKind, s.MergeDetainee))
		// Relatives and contacts of a detainee, with their consent (issue 25)
		rh := &relativesHandlers{svc: s}
		authed.GET("/detainees/:id/relatives", rh.list)
		authed.POST("/detainees/:id/relatives", rh.create)
		authed.GET("/detainees/:id/relatives/:rid", rh.get)
		authed.PATCH("/detainees/:id/relatives/:rid", rh.update)
		authed.DELETE("/detainees/:id/relatives/:rid", rh.remove)
		authed.GET("/detainees/:id/relatives/:rid/consents", rh.consents)
		authed.POST("/detainees/:id/relatives/:rid/consents", rh.addConsent)
		// Cases
		authed.GET("/cases", h.listCases)
		authed.POST("/cases", create(caseKind, s.CreateCase))
		authed.GET("/cases/:id", getOne(caseKind, s.GetCase))
		authed.PATCH("/cases/:id", update(caseKind, s.UpdateCase))
		authed.DELETE("/cases/:id", remove(caseKind, s.DeleteCase))
		// Lawyers assigned to a case
		authed.GET("/cases/:id/assignments", listInCase(s.ListAssignments))
		authed.POST("/cases/:id/assignments", createInCase(assignmentKind, s.CreateAssignment))
		authed.GET("/cases/:id/assignments/:aid", getInCase(assignmentKind, s.GetAssignment))
		authed.PATCH("/cases/:id/assignments/:aid", updateInCase(assignmentKind, s.UpdateAssignment))
		authed.DELETE("/cases/:id/assignments/:aid", removeInCase(assignmentKind, s.DeleteAssignment))
		// Custody periods of a case (issue 19)
		authed.GET("/cases/:id/custody-periods", listInCase(s.ListCustodyPeriods))
		authed.POST("/cases/:id/custody-periods", createInCase(custodyPeriodKind, s.CreateCustodyPeriod))
		authed.GET("/cases/:id/custody-periods/:pid", getInCase(custodyPeriodKind, s.GetCustodyPeriod))
		authed.PATCH("/cases/:id/custody-periods/:pid", updateInCase(custodyPeriodKind, s.UpdateCustodyPeriod))
		authed.DELETE("/cases/:id/custody-periods/:pid", removeVersionedInCase(custodyPeriodKind, s.DeleteCustodyPeriod))
		// UN communications of a case (issue 25)
		authed.GET("/cases/:id/un-communications", listInCase(s.ListUNCommunications))
		authed.POST("/cases/:id/un-communications", createInCase(unCommunicationKind, s.CreateUNCommunication))
		authed.GET("/cases/:id/un-communications/:uid", getInCase(unCommunicationKind, s.GetUNCommunication))
		authed.PATCH("/cases/:id/un-communications/:uid", updateInCase(unCommunicationKind, s.UpdateUNCommunication))
		authed.DELETE("/cases/:id/un-communications/:uid", removeVersionedInCase(unCommunicationKind, s.DeleteUNCommunication))
		// Links between cases (issue 25): shown from both cases, to those who see both
		authed.GET("/cases/:id/links", listInCase(s.ListCaseLinks))
		authed.POST("/cases/:id/links", createInCase(caseLinkKind, s.CreateCaseLink))
		authed.GET("/cases/:id/links/:lid", getInCase(caseLinkKind, s.GetCaseLink))
		authed.PATCH("/cases/:id/links/:lid", updateInCase(caseLinkKind, s.UpdateCaseLink))
		authed.DELETE("/cases/:id/links/:lid", removeInCase(caseLinkKind, s.DeleteCaseLink))
		// Other detainees of a case, co-defendants (issue 25); {did} is the detainee id
		authed.GET("/cases/:id/detainees", listInCase(s.ListCaseDetainees))
		authed.POST("/cases/:id/detainees", createInCase(caseDetaineeKind, s.CreateCaseDetainee))
		authed.GET("/cases/:id/detainees/:did", getInCase(caseDetaineeKind, s.GetCaseDetainee))
		authed.PATCH("/cases/:id/detainees/:did", updateInCase(caseDetaineeKind, s.UpdateCaseDetainee))
		authed.DELETE("/cases/:id/detainees/:did", removeVersionedInCase(caseDetaineeKind, s.DeleteCaseDetainee))
		// Shares of a case with observers
		authed.GET("/cases/:id/shares", listInCase(s.ListShares))
		authed.POST("/cases/:id/shares", createInCase(shareKind, s.CreateShare))
		authed.DELETE("/cases/:id/shares/:sid", removeInCase(shareKind, s.RevokeShare))
		// Lawyers
		authed.GET("/lawyers", h.listLawyers)
		authed.POST("/lawyers", create(lawyerKind, s.CreateLawyer))
		authed.GET("/lawyers/:id", getOne(lawyerKind, s.GetLawyer))
		authed.PATCH("/lawyers/:id", update(lawyerKind, s.UpdateLawyer))
		authed.DELETE("/lawyers/:id", remove(lawyerKind, s.DeleteLawyer))
		// Accounts a manager shares a case with or links a lawyer record to, by name
		authed.GET("/user-directory", h.findUsers)
		// Vocabularies (case records and timeline), detainee CSV
		authed.GET("/vocabularies", h.vocabularies)
		authed.GET("/detainees/export.csv", h.exportDetainees)
		authed.POST("/detainees/import", h.importDetainees)
	}

	if s := d.Evidence; s != nil {
		h := &evidenceHandlers{svc: s}
		authed.POST("/cases/:id/evidence", h.upload)
		authed.GET("/cases/:id/evidence", h.list)
		authed.GET("/cases/:id/evidence/:eid", getInCase(evidenceKind, s.Get))
		authed.GET("/cases/:id/evidence/:eid/content", h.content)
		authed.GET("/cases/:id/evidence/:eid/thumbnail", h.thumbnail)
		authed.GET("/cases/:id/evidence/:eid/custody", h.custody)
		authed.GET("/cases/:id/custody", h.caseCustody)
		authed.PATCH("/cases/:id/evidence/:eid", h.update)
		authed.DELETE("/cases/:id/evidence/:eid", h.remove)
		// A single-use link that streams the content to disk; the link is
		// the credential (a browser navigation sends no bearer token).
		authed.POST("/cases/:id/evidence/:eid/download-link", h.downloadLink)
		v1.GET("/evidence-downloads/:token", h.linkedContent)
		// Resumable uploads (tus 1.0).
		th, err := newTusHandlers(s)
		if err != nil {
			return err
		}
		authed.POST("/cases/:id/evidence/uploads", th.create)
		authed.HEAD("/cases/:id/evidence/uploads/:uid", th.head)
		authed.GET("/cases/:id/evidence/uploads/:uid", th.status)
		authed.PATCH("/cases/:id/evidence/uploads/:uid", th.patch)
		authed.DELETE("/cases/:id/evidence/uploads/:uid", th.terminate)
	}

	// Identity: the caller's own account, sign-in and user administration.
	ah := &authHandlers{svc: d.Auth, secureCookies: d.SecureCookies, corsOrigins: map[string]bool{}, publicOrigin: originOf(d.PublicURL)}
	for _, o := range d.CORSOrigins {
		ah.corsOrigins[o] = true
	}
	pending.GET("/me", ah.me)
	pending.POST("/auth/password", ah.changePassword)
	v1.POST("/auth/totp/enroll", authenticate(d.Auth, modeEnroll), ah.totpEnroll)
	v1.POST("/auth/totp/confirm", authenticate(d.Auth, modeEnroll), ah.totpConfirm)
	authed.POST("/auth/totp/disable", ah.totpDisable)
	authed.GET("/me/sign-in-activity", ah.signInActivity)
	v1.POST("/auth/login", ah.login)
	v1.POST("/auth/refresh", ah.refresh)
	v1.POST("/auth/logout", ah.logout)
	v1.POST("/auth/totp/verify", authenticate(d.Auth, modeMFA), ah.totpVerify)
	// Passkeys (WebAuthn): register (signed in, or enrolling during sign-in),
	// sign in with a passkey alone, a passkey as the second factor, list, remove.
	v1.POST("/auth/passkeys/register/begin", authenticate(d.Auth, modeEnroll), ah.passkeyRegisterBegin)
	v1.POST("/auth/passkeys/register/finish", authenticate(d.Auth, modeEnroll), ah.passkeyRegisterFinish)
	v1.POST("/auth/passkeys/login/begin", ah.passkeyLoginBegin)
	v1.POST("/auth/passkeys/login/finish", ah.passkeyLoginFinish)
	v1.POST("/auth/passkeys/verify/begin", authenticate(d.Auth, modeMFA), ah.passkeyVerifyBegin)
	v1.POST("/auth/passkeys/verify/finish", authenticate(d.Auth, modeMFA), ah.passkeyVerifyFinish)
	authed.GET("/auth/passkeys", ah.passkeys)
	authed.POST("/auth/passkeys/:id/remove", ah.passkeyRemove)
	uh := &usersHandlers{svc: d.Auth}
	admin.GET("/users", uh.list)
	admin.POST("/users", uh.create)
	admin.GET("/users/:id", uh.get)
	admin.PATCH("/users/:id", uh.update)
	admin.POST("/users/:id/reset-password", uh.resetPassword)
	admin.POST("/users/:id/sessions/revoke", uh.revokeSessions)
	admin.GET("/users/:id/sign-in-activity", uh.activity)
	admin.DELETE("/users/:id/calendar-feed", uh.revokeFeed)

	if d.Audit != nil {
		h := &auditHandlers{log: d.Audit}
		authed.GET("/audit", h.list)
		authed.GET("/audit/verify", h.verify)
	}

	if d.Jobs != nil && d.Audit != nil {
		h := &jobsHandlers{queue: d.Jobs, rec: d.Audit}
		admin.GET("/admin/jobs", h.list)
		admin.POST("/admin/jobs/:id/retry", h.retry)
	}

	if s := d.Support; s != nil {
		h := &supportHandlers{svc: s}
		authed.GET("/support-vocabularies", h.vocabularies)
		// Support actions
		authed.GET("/cases/:id/support-actions", h.listCase)
		authed.POST("/cases/:id/support-actions", createInCase(actionKind, s.CreateAction))
		authed.GET("/support-actions", h.board)
		authed.GET("/me/support-actions", h.mine)
		authed.GET("/support-actions/:id", getOne(actionKind, s.GetAction))
		authed.PATCH("/support-actions/:id", update(actionKind, s.UpdateAction))
		// Partners
		authed.GET("/partners", h.listPartners)
		authed.POST("/partners", create(partnerKind, s.CreatePartner))
		authed.GET("/partners/:id", getOne(partnerKind, s.GetPartner))
		authed.PATCH("/partners/:id", update(partnerKind, s.UpdatePartner))
		authed.DELETE("/partners/:id", remove(partnerKind, s.DeletePartner))
	}

	if s := d.Dossier; s != nil {
		h := &dossierHandlers{svc: s}
		authed.GET("/cases/:id/dossier.pdf", h.dossier)
		authed.GET("/cases/:id/wgad-draft.pdf", h.wgad)
		authed.GET("/cases/:id/wgad-draft.odt", h.wgadODT)
	}

	if s := d.Export; s != nil {
		// Exports for other tools (issue 25): a case as JSON, its import, the case list as CSV
		h := &caseExportHandlers{svc: s}
		authed.GET("/cases/:id/export.json", h.exportJSON)
		authed.POST("/cases/import", h.importJSON)
		authed.GET("/cases/export.csv", h.exportCSV)
	}

	if s := d.Timeline; s != nil {
		th := &timelineHandlers{svc: s}
		authed.GET("/cases/:id/timeline", th.timeline)
		// Events (Idempotency-Key: an entry queued offline is sent again until it is answered, issue 24)
		authed.POST("/cases/:id/events", idempotent(idempotency.New(s.DB)), createInCase(eventKind, s.CreateEvent))
		authed.GET("/cases/:id/events/:eid", getInCase(eventKind, s.GetEvent))
		authed.PATCH("/cases/:id/events/:eid", updateInCase(eventKind, s.UpdateEvent))
		authed.DELETE("/cases/:id/events/:eid", th.deleteEvent)
		// Hearings
		hh := &hearingsHandlers{svc: s}
		authed.GET("/cases/:id/hearings", hh.list)
		authed.POST("/cases/:id/hearings", createInCase(hearingKind, s.CreateHearing))
		authed.GET("/cases/:id/hearings/:hid", getInCase(hearingKind, s.GetHearing))
		authed.PATCH("/cases/:id/hearings/:hid", updateInCase(hearingKind, s.UpdateHearing))
		authed.GET("/hearings", hh.calendar)
		// The caller's calendar feed; the feed itself needs no sign-in (its
		// secret URL is its credential).
		ch := &calendarHandlers{svc: s}
		authed.GET("/me/calendar-feed", ch.status)
		authed.DELETE("/me/calendar-feed", ch.revoke)
		authed.POST("/me/calendar-feed", ch.rotate)
		v1.GET("/calendar-feeds/:token/hearings.ics", ch.feed)
	}

	if s := d.Notifications; s != nil {
		// Notifications: the inbox, settings, following a case (issue 26)
		h := &notificationsHandlers{svc: s}
		authed.GET("/notifications", h.list)
		authed.GET("/notifications/unread-count", h.unreadCount)
		authed.POST("/notifications/read-all", h.markAllRead)
		authed.POST("/notifications/:id/read", h.markRead)
		authed.GET("/me/notification-settings", h.settings)
		authed.PUT("/me/notification-settings", h.updateSettings)
		authed.GET("/cases/:id/follow", h.following)
		authed.PUT("/cases/:id/follow", h.follow(true))
		authed.DELETE("/cases/:id/follow", h.follow(false))
		admin.POST("/admin/notifications/test-email", h.testEmail)
	}
	if s := d.Campaigns; s != nil {
		// Campaigns and crackdowns: named groups of cases (issue 25)
		h := &campaignsHandlers{svc: s}
		authed.GET("/campaigns", h.list)
		authed.POST("/campaigns", create(campaignKind, s.Create))
		authed.GET("/campaigns/:id", getOne(campaignKind, s.Get))
		authed.PATCH("/campaigns/:id", update(campaignKind, s.Update))
		authed.DELETE("/campaigns/:id", remove(campaignKind, s.Delete))
		authed.GET("/campaigns/:id/summary", h.summary)
		authed.GET("/campaigns/:id/cases", h.cases)
		authed.POST("/campaigns/:id/cases", h.addCase)
		authed.DELETE("/campaigns/:id/cases/:caseId", h.removeCase)
		authed.GET("/cases/:id/campaigns", h.ofCase)
	}

	if s := d.Deadlines; s != nil {
		h := &deadlinesHandlers{svc: s}
		authed.GET("/cases/:id/deadlines", h.forCase)
		authed.GET("/deadlines", h.list)
		authed.GET("/deadlines/summary", h.summary)
		authed.GET("/releases", (&releasesHandlers{svc: s}).list)
	}
	return nil
}
