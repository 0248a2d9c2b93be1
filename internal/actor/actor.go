// Package actor carries who is acting (the authenticated principal) and the
// request's metadata (id, client address) through a context, so that the
// access policy and the audit trail read them from one place.
package actor

import "context"

// Role is a user's role.
type Role string

// The roles of Habeas; what each may do is internal/access (see the access
// matrix in docs/security.md).
const (
	Admin       Role = "admin"
	Coordinator Role = "coordinator"
	Lawyer      Role = "lawyer"
	Observer    Role = "observer"
)

// Roles lists every role, in order of decreasing reach.
var Roles = []Role{Admin, Coordinator, Lawyer, Observer}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID    string
	Email     string
	Role      Role
	SessionID string
}

// Request is what is known about the current request, for audit entries and logs.
type Request struct {
	ID       string
	ClientIP string
}

type principalKey struct{}
type requestKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// From returns the principal carried by ctx, or nil for an anonymous caller.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// WithRequest returns ctx carrying the request metadata.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request metadata carried by ctx (zero outside a request).
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
