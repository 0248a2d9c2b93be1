package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/notify"
	"github.com/habeas-org/habeas/internal/notify/webhook"
	"github.com/habeas-org/habeas/internal/testkit"
)

// With HABEAS_WEBHOOK_URL set and no secret, start-up generates the secret
// (0600) and App.Webhook posts signed events a receiver verifies with it.
func TestWebhookChannelWired(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		got := make(chan error, 4)
		var key []byte
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if r.URL.Path == "/gone" {
				w.WriteHeader(http.StatusGone)
				return
			}
			err := webhook.NewVerifier(key).Verify(r.Header, body)
			got <- err
			if err != nil {
				w.WriteHeader(http.StatusUnauthorized)
			}
		}))
		defer srv.Close()
		a, err := newApp(t, d, func(c *config.Config) { c.Webhook.URL = config.Secret(srv.URL + "/hook") })
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(a.Config.DataDir, webhook.SecretFileName)
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("secret file: %v %v", st, err)
		}
		key, _, _, err = webhook.LoadSecret("", a.Config.DataDir)
		if err != nil || a.Webhook == nil {
			t.Fatalf("key %v, channel %v", err, a.Webhook)
		}
		ev := notify.HookEvent{ID: "k1", Rule: notify.DeadlineOverdue, Count: 1, Text: "1 time limit needs attention", CreatedAt: time.Now()}
		if err := a.Webhook.Send(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		if err := <-got; err != nil {
			t.Fatalf("receiver: %v", err)
		}
		c, err := webhook.New(webhook.Options{URL: srv.URL + "/gone", Key: key})
		if err != nil {
			t.Fatal(err)
		}
		var gone notify.Webhook = app.WebhookChannel{Client: c}
		if err := gone.Send(context.Background(), ev); err == nil || !gone.Permanent(err) {
			t.Fatalf("410: %v, permanent %v", err, gone.Permanent(err))
		}
	})
}
