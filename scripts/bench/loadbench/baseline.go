package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
)

// baselineCase is the row the baseline handler reads: a few columns of the
// cases table by primary key.
type baselineCase struct {
	ID         string `json:"id"`
	DetaineeID string `json:"detainee_id"`
	Title      string `json:"title"`
	Status     string `json:"status"`
	Stage      string `json:"stage"`
}

// baselineMain serves GET /case/{id} with one indexed query on the database
// Habeas uses: gin in release mode, gorm, JSON out; no authentication, no
// access policy, no audit entry. What Habeas adds on top of it is what the
// ratio to this server measures.
func baselineMain(args []string) error {
	fs := flag.NewFlagSet("baseline", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:18081", "listen address")
	pgURL := fs.String("database-url", "", "PostgreSQL URL (else -sqlite)")
	sqlitePath := fs.String("sqlite", "", "SQLite database file")
	maxConns := fs.Int("max-conns", 20, "PostgreSQL connections kept open (as HABEAS_DB_MAX_CONNS)")
	_ = fs.Parse(args)
	if *pgURL == "" && *sqlitePath == "" {
		return errors.New("baseline: -database-url or -sqlite is required")
	}
	// The same pool as habeas serve by default (HABEAS_DB_MAX_CONNS).
	d, err := db.Open(context.Background(), db.Options{PostgresURL: *pgURL, SQLitePath: *sqlitePath, MaxConns: *maxConns})
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/case/:id", func(c *gin.Context) {
		var row baselineCase
		err := d.WithContext(c.Request.Context()).Table("cases").
			Select("id, detainee_id, title, status, stage").
			Where("id = ?", c.Param("id")).Take(&row).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			c.JSON(http.StatusNotFound, gin.H{"error": "not_found"})
		case err != nil:
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		default:
			c.JSON(http.StatusOK, row)
		}
	})
	srv := &http.Server{Addr: *listen, Handler: r, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("baseline: serving GET /case/{id} on http://%s (%s)\n", *listen, d.Dialect)
	return srv.ListenAndServe()
}
