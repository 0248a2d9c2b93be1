package cases

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// MaxUserLookupIDs bounds the ids one user lookup resolves.
const MaxUserLookupIDs = 50

// UserLookup filters the user directory: Q is part of the display name,
// Role one of access.PickableRoles ("" for both), Unlinked keeps only the
// lawyers no lawyer record links to, IDs resolves given accounts.
type UserLookup struct {
	record.ListOptions
	Role     string
	Unlinked bool
	IDs      []string
}

// UserRef is what a manager needs to pick an account: its id, display name
// and role. No email or other personal data.
type UserRef struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Role actor.Role `json:"role"`
}

// directoryUser is the users row as the directory reads it.
type directoryUser struct {
	ID   string
	Name string
	Role actor.Role
}

// TableName is the users table.
func (directoryUser) TableName() string { return "users" }

var errNoDirectory = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators look up accounts")

// userDirectory is the keyset of the directory: by name, then id.
var userDirectory = record.Keyset[directoryUser]{
	Table: "users",
	Sorts: record.Sorts[directoryUser]{
		"name": {Column: "users.name", Value: func(u *directoryUser) string { return u.Name }},
	},
	DefaultSort: "name", ID: func(u *directoryUser) string { return u.ID }, Count: true,
}

// FindUsers lists the enabled observer and lawyer accounts an admin or
// coordinator may share a case with or link a lawyer record to, by name
// (access.MayPickUsers; others are refused).
func (s *Service) FindUsers(ctx context.Context, p *actor.Principal, in UserLookup) (record.Page[UserRef], error) {
	if err := record.Authenticated(p); err != nil {
		return record.Page[UserRef]{}, err
	}
	if !access.MayPickUsers(p) {
		return record.Page[UserRef]{}, errNoDirectory
	}
	roles := make([]string, 0, len(access.PickableRoles))
	for _, r := range access.PickableRoles {
		if in.Role == "" || in.Role == string(r) {
			roles = append(roles, string(r))
		}
	}
	if len(roles) == 0 {
		return record.Page[UserRef]{}, apperr.Field("role", "one of observer, lawyer")
	}
	if in.Unlinked && in.Role != string(actor.Lawyer) {
		return record.Page[UserRef]{}, apperr.Field("unlinked", "only with role=lawyer")
	}
	if len(in.IDs) > MaxUserLookupIDs {
		return record.Page[UserRef]{}, apperr.Field("id", "at most 50 ids")
	}
	ids := make([]string, 0, len(in.IDs))
	for _, raw := range in.IDs {
		id, ok := record.ParseID(raw)
		if !ok {
			return record.Page[UserRef]{}, apperr.Field("id", "not an id")
		}
		ids = append(ids, id)
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[UserRef], error) {
		base := func() *gorm.DB {
			q := tx.Model(&directoryUser{}).Where("users.disabled = ? AND users.role IN ?", false, roles)
			if strings.TrimSpace(in.Q) != "" {
				q = q.Where("LOWER(users.name) LIKE ?"+record.LikeEscape, record.LikePattern(in.Q))
			}
			if in.Unlinked {
				q = q.Where("NOT EXISTS (SELECT 1 FROM lawyers ud_l WHERE ud_l.user_id = users.id)")
			}
			if len(ids) > 0 {
				q = q.Where("users.id IN ?", ids)
			}
			return q
		}
		page, err := userDirectory.Page(base, in.ListOptions)
		if err != nil {
			return record.Page[UserRef]{}, err
		}
		return record.Map(page, func(u *directoryUser) UserRef { return UserRef{ID: u.ID, Name: u.Name, Role: u.Role} }), nil
	})
}

// userRefs returns the display name and role of each account in ids (any
// state: a share keeps naming a since disabled observer).
func userRefs(tx *gorm.DB, ids []string) (map[string]UserRef, error) {
	out := make(map[string]UserRef, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []directoryUser
	if err := tx.Model(&directoryUser{}).Where("id IN ?", ids).Select("id, name, role").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = UserRef{ID: r.ID, Name: r.Name, Role: r.Role}
	}
	return out, nil
}
