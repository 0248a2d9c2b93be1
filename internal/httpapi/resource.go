package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/record"
)

// kind is a kind of record as the verb helpers serve it.
type kind[T any] struct {
	// object names the record in a 404: "detainee".
	object string
	// param is the path parameter of its own id: "id" on /detainees/:id,
	// "aid" on /cases/:id/assignments/:aid.
	param string
	// at is where a record is (its path under /api/v1) and its version,
	// sent as Location (when created) and ETag; nil for records answered
	// without them.
	at func(v *T) (path string, version int64)
}

// id reads the record's own id from the path.
func (k kind[T]) id(c *gin.Context) (string, bool) { return pathID(c, k.param, k.object) }

// ids reads the ids of a record of a case: the case's ({id}), then its own.
func (k kind[T]) ids(c *gin.Context) (caseID, id string, ok bool) {
	if caseID, ok = pathCaseID(c); ok {
		id, ok = k.id(c)
	}
	return caseID, id, ok
}

// render answers the record v (with its ETag, and its Location when
// status is 201 Created), or err.
func (k kind[T]) render(c *gin.Context, status int, v T, err error) {
	if err != nil {
		Fail(c, err)
		return
	}
	if k.at != nil {
		path, version := k.at(&v)
		if status == http.StatusCreated {
			c.Header("Location", "/api/v1"+path)
		}
		c.Header("ETag", etag(version))
	}
	c.JSON(status, v)
}

// The verb helpers below make the handler of a plain route from the one
// service call it makes: each reads the path ids, then (for a change) the
// If-Match version, then the body, calls the service with the request's
// context and principal, and renders. The ...InCase variants serve the
// records of a case, under /cases/:id.

// getOne serves GET of a record: 200 with its ETag.
func getOne[T any](k kind[T], load func(context.Context, *actor.Principal, string) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if id, ok := k.id(c); ok {
			v, err := load(c.Request.Context(), principal(c), id)
			k.render(c, http.StatusOK, v, err)
		}
	}
}

// getInCase serves GET of a record of a case.
func getInCase[T any](k kind[T], load func(context.Context, *actor.Principal, string, string) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if caseID, id, ok := k.ids(c); ok {
			v, err := load(c.Request.Context(), principal(c), caseID, id)
			k.render(c, http.StatusOK, v, err)
		}
	}
}

// create serves POST of a new record: 201 with its Location and ETag.
func create[In, T any](k kind[T], add func(context.Context, *actor.Principal, In) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if in, ok := bind[In](c); ok {
			v, err := add(c.Request.Context(), principal(c), in)
			k.render(c, http.StatusCreated, v, err)
		}
	}
}

// createInCase serves POST of a new record in the case {id}.
func createInCase[In, T any](k kind[T], add func(context.Context, *actor.Principal, string, In) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		caseID, ok := pathCaseID(c)
		if !ok {
			return
		}
		if in, ok := bind[In](c); ok {
			v, err := add(c.Request.Context(), principal(c), caseID, in)
			k.render(c, http.StatusCreated, v, err)
		}
	}
}

// update serves PATCH of a record with If-Match: 200 with the new ETag.
func update[In, T any](k kind[T], save func(context.Context, *actor.Principal, string, int64, In) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := k.id(c)
		if !ok {
			return
		}
		if version, in, ok := change[In](c); ok {
			v, err := save(c.Request.Context(), principal(c), id, version, in)
			k.render(c, http.StatusOK, v, err)
		}
	}
}

// updateInCase serves PATCH of a record of a case with If-Match.
func updateInCase[In, T any](k kind[T], save func(context.Context, *actor.Principal, string, string, int64, In) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		caseID, id, ok := k.ids(c)
		if !ok {
			return
		}
		if version, in, ok := change[In](c); ok {
			v, err := save(c.Request.Context(), principal(c), caseID, id, version, in)
			k.render(c, http.StatusOK, v, err)
		}
	}
}

// remove serves DELETE of a record: 204.
func remove[T any](k kind[T], del func(context.Context, *actor.Principal, string) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if id, ok := k.id(c); ok {
			noContent(c, del(c.Request.Context(), principal(c), id))
		}
	}
}

// removeInCase serves DELETE of a record of a case: 204.
func removeInCase[T any](k kind[T], del func(context.Context, *actor.Principal, string, string) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if caseID, id, ok := k.ids(c); ok {
			noContent(c, del(c.Request.Context(), principal(c), caseID, id))
		}
	}
}

// removeVersionedInCase serves DELETE of a record of a case with If-Match
// (the version the deletion is based on): 204.
func removeVersionedInCase[T any](k kind[T], del func(context.Context, *actor.Principal, string, string, int64) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		caseID, id, ok := k.ids(c)
		if !ok {
			return
		}
		if version, ok := ifMatch(c); ok {
			noContent(c, del(c.Request.Context(), principal(c), caseID, id, version))
		}
	}
}

// listInCase serves GET of a case's sorted list (q, sort, cursor, limit).
func listInCase[P any](list func(context.Context, *actor.Principal, string, record.ListOptions) (P, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		caseID, ok := pathCaseID(c)
		if !ok {
			return
		}
		if o, ok := listOptions(c); ok {
			page, err := list(c.Request.Context(), principal(c), caseID, o)
			render(c, http.StatusOK, page, err)
		}
	}
}
