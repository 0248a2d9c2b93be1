package access

import "github.com/habeas-org/habeas/internal/actor"

// Campaigns and crackdowns (issue 25, docs/campaigns.md): a named group of
// cases. Admins and coordinators see every campaign and write them (create,
// edit, delete, add and remove cases). Anyone else signed in sees the
// campaigns holding at least one case they see (a lawyer the cases they
// hold, an observer the cases shared with them), and within a campaign only
// those cases: every list and count of a campaign is over the cases the
// caller sees (CaseIDVisible), so a campaign never tells of a case its
// reader may not see. A campaign the caller may not see is not found.

// CampaignVisible returns the condition "the campaign row of table is
// visible to p". table must be a table name or alias written in code.
func CampaignVisible(p *actor.Principal, table string) Cond {
	if p == nil || p.UserID == "" {
		return none
	}
	if seesAll(p) {
		return all
	}
	c := CaseIDVisible(p, "acc_cc.case_id")
	return Cond{SQL: table + `.id IN (SELECT acc_cc.campaign_id FROM campaign_cases acc_cc WHERE ` + c.SQL + `)`, Args: c.Args}
}

// ManagesCampaigns reports whether p may create, edit and delete campaigns
// and add cases to them or remove them: admin and coordinator.
func ManagesCampaigns(p *actor.Principal) bool { return seesAll(p) }
