package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestWebhookKeys(t *testing.T) {
	c, err := Load(envOf(nil), nil)
	if err != nil || c.Webhook.Enabled() || c.Webhook.Format != "habeas" {
		t.Fatalf("defaults: %+v %v", c.Webhook, err)
	}
	for _, ok := range []map[string]string{
		{"HABEAS_WEBHOOK_URL": "https://hooks.example.org/services/T0/B0/TOKEN", "HABEAS_WEBHOOK_FORMAT": "slack"},
		{"HABEAS_WEBHOOK_URL": "http://127.0.0.1:9000/hook", "HABEAS_WEBHOOK_FORMAT": "matrix"},
		{"HABEAS_WEBHOOK_URL": "http://[::1]:9000/hook"},
		{"HABEAS_WEBHOOK_URL": "http://localhost:9000/hook", "HABEAS_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
		{"HABEAS_WEBHOOK_SECRET": "a text secret of 24 chars"},
	} {
		c, err := Load(envOf(ok), nil)
		if err != nil {
			t.Errorf("%v: %v", ok, err)
			continue
		}
		if s := fmt.Sprintf("%v %+v", c.Webhook, c.Webhook); strings.Contains(s, "TOKEN") || strings.Contains(s, "whsec_") {
			t.Errorf("formatted config shows a secret: %s", s)
		}
	}
	for _, tc := range []struct{ key, value, leak string }{
		{"HABEAS_WEBHOOK_URL", "http://hooks.example.org/p/TOKEN", "TOKEN"},
		{"HABEAS_WEBHOOK_URL", "ftp://hooks.example.org/TOKEN", "TOKEN"},
		{"HABEAS_WEBHOOK_URL", "hooks.example.org/TOKEN", "TOKEN"},
		{"HABEAS_WEBHOOK_URL", "https://user:TOKEN@hooks.example.org/", "TOKEN"},
		{"HABEAS_WEBHOOK_SECRET", "TOKEN-short", "TOKEN"},
		{"HABEAS_WEBHOOK_SECRET", "whsec_TOKEN!", "TOKEN"},
		{"HABEAS_WEBHOOK_FORMAT", "teams", ""},
	} {
		_, err := Load(envOf(map[string]string{tc.key: tc.value}), nil)
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != tc.key {
			t.Errorf("%s=%s: %v, want an error naming the key", tc.key, tc.value, err)
			continue
		}
		if tc.leak != "" && strings.Contains(err.Error(), tc.leak) {
			t.Errorf("%s: error quotes the secret value: %v", tc.key, err)
		}
	}
}
