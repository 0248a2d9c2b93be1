package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// render answers v with status, or err in the error shape.
func render(c *gin.Context, status int, v any, err error) {
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(status, v)
}

// noContent answers 204, or err in the error shape.
func noContent(c *gin.Context, err error) {
	if err != nil {
		Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// etag is the strong entity tag of a record version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// renderVersioned answers a record with its ETag.
func renderVersioned(c *gin.Context, status int, version int64, body any) {
	c.Header("ETag", etag(version))
	c.JSON(status, body)
}
