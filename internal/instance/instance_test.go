package instance_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/instance"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Live and gone: a registered instance is live until its heartbeat is older
// than the timeout, it deregisters, or (same kernel boot and PID namespace)
// its process is no longer running; another host's fresh heartbeat is live.
func TestCensus(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		self := instance.New(d, 30*time.Second, nil)
		if err := self.Register(ctx); err != nil {
			t.Fatal(err)
		}
		var mine instance.Row
		if err := d.Where("id = ?", self.ID()).Take(&mine).Error; err != nil {
			t.Fatal(err)
		}
		// A process that has exited: its PID is free (or reused later).
		cmd := exec.Command("true")
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		rows := map[string]instance.Row{
			"stale":       {Host: "other", Boot: "", PID: 7, HeartbeatAt: now.Add(-time.Minute)},
			"otherhost":   {Host: "other", Boot: "another-boot/pid:[1]/5", PID: 7, HeartbeatAt: now},
			"deadpid":     {Host: mine.Host, Boot: mine.Boot, PID: cmd.ProcessState.Pid(), HeartbeatAt: now},
			"reusedpid":   {Host: mine.Host, Boot: mine.Boot + "0", PID: os.Getpid(), HeartbeatAt: now},
			"sameprocess": {Host: mine.Host, Boot: mine.Boot, PID: os.Getpid(), HeartbeatAt: now},
		}
		for id, r := range rows {
			r.ID, r.StartedAt = id, now
			if err := d.Create(&r).Error; err != nil {
				t.Fatal(err)
			}
		}
		c, err := self.Census(ctx)
		if err != nil {
			t.Fatal(err)
		}
		onLinux := mine.Boot != ""
		for id, want := range map[string]bool{self.ID(): true, "stale": false, "otherhost": true,
			"deadpid": !onLinux, "reusedpid": !onLinux, "sameprocess": true, "never-registered": false} {
			if got := c.Live(id); got != want {
				t.Errorf("Live(%s) = %v, want %v", id, got, want)
			}
		}
		if err := self.Deregister(ctx); err != nil {
			t.Fatal(err)
		}
		if err := self.Register(ctx); err != nil { // no heartbeat after Deregister
			t.Fatal(err)
		}
		if c, err = self.Census(ctx); err != nil || c.Live(self.ID()) {
			t.Fatalf("deregistered instance live: %v", err)
		}
	})
}
