package audit_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

func seed(t *testing.T, l *audit.Log, n int) {
	t.Helper()
	ctx := actor.WithPrincipal(context.Background(), &actor.Principal{UserID: "u-1", Role: actor.Coordinator})
	ctx = actor.WithRequest(ctx, actor.Request{ID: "req-1", ClientIP: "192.0.2.7"})
	for i := 1; i <= n; i++ {
		err := l.Record(ctx, nil, audit.Entry{Action: "case.read", ObjectType: "case", ObjectID: fmt.Sprintf("c-%d", i),
			CaseID: fmt.Sprintf("c-%d", i), Details: map[string]any{"n": i, "password": "hunter2"}})
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
}

// tamper runs raw SQL as an attacker with database access would: with the
// append-only triggers out of the way.
func tamper(t *testing.T, d *db.DB, stmts ...string) {
	t.Helper()
	var pre, post []string
	if d.Dialect == db.Postgres {
		pre = []string{"ALTER TABLE audit_log DISABLE TRIGGER USER"}
		post = []string{"ALTER TABLE audit_log ENABLE TRIGGER USER"}
	} else {
		pre = []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	}
	for _, s := range append(append(pre, stmts...), post...) {
		if err := d.Exec(s).Error; err != nil {
			t.Fatalf("tamper %q: %v", s, err)
		}
	}
}

func TestRecordFillsActorAndRedactsSecrets(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		l := audit.NewLog(d)
		seed(t, l, 1)
		var r audit.Row
		if err := d.Take(&r, "seq = 1").Error; err != nil {
			t.Fatal(err)
		}
		if r.ActorID != "u-1" || r.ActorRole != "coordinator" || r.ClientIP != "192.0.2.7" || r.RequestID != "req-1" || r.Outcome != "ok" {
			t.Errorf("actor/request not filled: %+v", r)
		}
		if strings.Contains(r.Details, "hunter2") || !strings.Contains(r.Details, `"password":"[redacted]"`) {
			t.Errorf("secret stored: %s", r.Details)
		}
		if r.PrevHash != audit.GenesisHash || r.Hash != r.ComputeHash() {
			t.Errorf("first entry not chained to genesis: %+v", r)
		}
	})
}

func TestVerifyFindsTamperingAtExactlyThatEntry(t *testing.T) {
	cases := []struct {
		name    string
		stmts   []string
		wantSeq int64
	}{
		{"edit actor", []string{"UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 5"}, 5},
		{"edit action", []string{"UPDATE audit_log SET action = 'case.list' WHERE seq = 5"}, 5},
		{"edit object", []string{"UPDATE audit_log SET object_id = 'x' WHERE seq = 5"}, 5},
		{"edit case", []string{"UPDATE audit_log SET case_id = 'x' WHERE seq = 5"}, 5},
		{"edit time", []string{"UPDATE audit_log SET at = '2020-01-01T00:00:00.000000Z' WHERE seq = 5"}, 5},
		{"edit client", []string{"UPDATE audit_log SET client_ip = '10.0.0.1' WHERE seq = 5"}, 5},
		{"edit request", []string{"UPDATE audit_log SET request_id = 'r' WHERE seq = 5"}, 5},
		{"edit outcome", []string{"UPDATE audit_log SET outcome = 'denied' WHERE seq = 5"}, 5},
		{"edit role", []string{"UPDATE audit_log SET actor_role = 'admin' WHERE seq = 5"}, 5},
		{"edit type", []string{"UPDATE audit_log SET object_type = 'user' WHERE seq = 5"}, 5},
		{"edit details", []string{`UPDATE audit_log SET details = '{"n":99}' WHERE seq = 5`}, 5},
		{"edit hash", []string{"UPDATE audit_log SET hash = prev_hash WHERE seq = 5"}, 5},
		{"edit prev_hash", []string{"UPDATE audit_log SET prev_hash = hash WHERE seq = 5"}, 5},
		{"renumber", []string{"UPDATE audit_log SET seq = 500 WHERE seq = 5"}, 5},
		{"delete", []string{"DELETE FROM audit_log WHERE seq = 5"}, 5},
		{"delete first", []string{"DELETE FROM audit_log WHERE seq = 1"}, 1},
		{"swap 3 and 4", []string{
			"UPDATE audit_log SET seq = -3 WHERE seq = 3",
			"UPDATE audit_log SET seq = 3 WHERE seq = 4",
			"UPDATE audit_log SET seq = 4 WHERE seq = -3",
		}, 3},
	}
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				d := testkit.NewDB(t, d.Dialect)
				l := audit.NewLog(d)
				seed(t, l, 8)
				rep, err := l.Verify(context.Background(), nil)
				if err != nil || !rep.OK() || rep.Entries != 8 {
					t.Fatalf("intact chain: %+v %v", rep, err)
				}
				tamper(t, d, c.stmts...)
				rep, err = l.Verify(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK() || rep.Problem.Seq != c.wantSeq {
					t.Fatalf("verify after %s: %+v, want problem at %d", c.name, rep.Problem, c.wantSeq)
				}
			})
		}
	})
}

func TestCheckpointCatchesConsistentRewrite(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := audit.NewLog(d)
		seed(t, l, 6)
		key, err := audit.LoadOrCreateKey(filepath.Join(t.TempDir(), "cp.pem"))
		if err != nil {
			t.Fatal(err)
		}
		cp, err := l.Checkpoint(ctx, key)
		if err != nil || cp.Seq != 6 {
			t.Fatalf("checkpoint %+v %v", cp, err)
		}
		pub := key.Public().(ed25519.PublicKey)
		if err := cp.Check(pub); err != nil {
			t.Fatal(err)
		}
		// The attacker rewrites entry 2 and recomputes every hash after it.
		var rows []audit.Row
		if err := d.Order("seq").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var stmts []string
		prev := audit.GenesisHash
		for i := range rows {
			if rows[i].Seq == 2 {
				rows[i].ObjectID = "forged"
			}
			rows[i].PrevHash = prev
			rows[i].Hash = rows[i].ComputeHash()
			prev = rows[i].Hash
			stmts = append(stmts, fmt.Sprintf("UPDATE audit_log SET object_id = '%s', prev_hash = '%s', hash = '%s' WHERE seq = %d",
				rows[i].ObjectID, rows[i].PrevHash, rows[i].Hash, rows[i].Seq))
		}
		tamper(t, d, stmts...)
		rep, err := l.Verify(ctx, nil)
		if err != nil || !rep.OK() {
			t.Fatalf("a consistent rewrite should pass plain verify (that is why checkpoints exist): %+v %v", rep.Problem, err)
		}
		rep, err = l.VerifyCheckpoint(ctx, cp, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK() || rep.Problem.Seq != 6 {
			t.Fatalf("checkpoint verify: %+v, want problem at 6", rep.Problem)
		}
		// A forged checkpoint (other key, or edited) is refused.
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		forged, _ := l.Checkpoint(ctx, other)
		if err := forged.Check(pub); err == nil {
			t.Error("checkpoint signed by another key accepted")
		}
		cp.Hash = rows[5].Hash
		if err := cp.Check(pub); err == nil {
			t.Error("edited checkpoint accepted")
		}
	})
}

func TestConcurrentWritersMakeOneChain(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		l := audit.NewLog(d)
		const writers = 50
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each writer records inside a transaction of its own, as a service would.
				errs <- d.WithTx(context.Background(), func(tx *gorm.DB) error {
					return l.Record(context.Background(), tx, audit.Entry{Action: "test.write", ObjectID: fmt.Sprint(i)})
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("writer: %v", err)
			}
		}
		rep, err := l.Verify(context.Background(), nil)
		if err != nil || !rep.OK() || rep.Entries != writers || rep.HeadSeq != writers {
			t.Fatalf("after %d writers: %+v %v", writers, rep, err)
		}
	})
}

func TestRecordBatchChainsInOrder(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		l := audit.NewLog(d)
		seed(t, l, 2)
		ctx := actor.WithPrincipal(context.Background(), &actor.Principal{UserID: "u-2", Role: actor.Admin})
		var es []audit.Entry
		for i := range 1234 { // more than one multi-row INSERT on both databases
			es = append(es, audit.Entry{Action: "detainee.create", ObjectID: fmt.Sprintf("d-%04d", i), Details: map[string]any{"token": "x"}})
		}
		err := d.WithTx(ctx, func(tx *gorm.DB) error { return audit.RecordAll(ctx, l, tx, es) })
		if err != nil {
			t.Fatal(err)
		}
		seed(t, l, 1)
		if err := audit.RecordAll(ctx, l, nil, es[:1]); err != nil {
			t.Fatal(err)
		}
		var rows []audit.Row
		if err := d.Order("seq").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2+1234+1+1 {
			t.Fatalf("%d entries", len(rows))
		}
		for i, r := range rows[2 : 2+1234] {
			if r.Seq != int64(i+3) || r.ObjectID != fmt.Sprintf("d-%04d", i) || r.ActorID != "u-2" || strings.Contains(r.Details, `"x"`) {
				t.Fatalf("entry %d: %+v", i, r)
			}
		}
		rep, err := l.Verify(context.Background(), nil)
		if err != nil || !rep.OK() || rep.Entries != int64(len(rows)) {
			t.Fatalf("verify: %+v %v", rep, err)
		}
		// A bad entry in a batch writes none of it.
		err = audit.RecordAll(ctx, l, nil, []audit.Entry{{Action: "a"}, {}})
		var n int64
		d.Model(&audit.Row{}).Count(&n)
		if err == nil || n != int64(len(rows)) {
			t.Fatalf("batch with an entry without action: %v, %d entries (want %d)", err, n, len(rows))
		}
	})
}

func TestFailedAuditWriteRollsBackTheChange(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		l := audit.NewLog(d)
		if err := d.Exec("ALTER TABLE audit_log RENAME TO audit_log_unwritable").Error; err != nil {
			t.Fatal(err)
		}
		err := d.WithTx(context.Background(), func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO instance (key, value) VALUES ('probe', 'x')").Error; err != nil {
				return err
			}
			return l.Record(context.Background(), tx, audit.Entry{Action: "instance.set"})
		})
		if err == nil {
			t.Fatal("change committed although its audit entry could not be written")
		}
		var n int64
		if err := d.Table("instance").Where("key = 'probe'").Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("change not rolled back: %d rows, %v", n, err)
		}
	})
}

func TestAppConnectionCannotRewriteTheLog(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		seed(t, audit.NewLog(d), 2)
		for _, s := range []string{
			"UPDATE audit_log SET action = 'x' WHERE seq = 1",
			"DELETE FROM audit_log WHERE seq = 2",
			"DELETE FROM audit_log",
		} {
			if err := d.Exec(s).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%q: err %v, want append-only refusal", s, err)
			}
		}
		if d.Dialect == db.Postgres {
			if err := d.Exec("TRUNCATE audit_log").Error; err == nil {
				t.Error("TRUNCATE allowed")
			}
		}
		var n int64
		d.Model(&audit.Row{}).Count(&n)
		if n != 2 {
			t.Fatalf("%d entries left, want 2", n)
		}
	})
}

func TestReadsAreGroupCommitted(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		// The pool habeas serve has (HABEAS_DB_MAX_CONNS): 200 readers each
		// in a read transaction would otherwise open 200 connections.
		d.SQL().SetMaxOpenConns(20)
		l := audit.NewLog(d)
		seed(t, l, 1)
		ctx := actor.WithPrincipal(context.Background(), &actor.Principal{UserID: "u-3", Role: actor.Lawyer})
		const readers = 200
		var wg sync.WaitGroup
		errs := make(chan error, readers)
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// As a service reads: the entry is recorded inside ReadTx and
				// held back for the group commit.
				errs <- audit.ReadTx(ctx, d, l, func(tx *gorm.DB) error {
					var n int64
					if err := tx.Table("audit_log").Count(&n).Error; err != nil {
						return err
					}
					return l.Record(ctx, tx, audit.Entry{Action: "case.read", ObjectID: fmt.Sprint(i)})
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("reader: %v", err)
			}
		}
		rep, err := l.Verify(context.Background(), nil)
		if err != nil || !rep.OK() || rep.Entries != readers+1 {
			t.Fatalf("after %d reads: %+v %v", readers, rep, err)
		}
		var r audit.Row
		if err := d.Where("action = 'case.read' AND object_id = '7'").Take(&r).Error; err != nil || r.ActorID != "u-3" || r.ActorRole != "lawyer" {
			t.Fatalf("read entry: %+v %v", r, err)
		}
		// A read whose entry cannot be written fails: the caller answers nothing.
		if err := d.Exec("ALTER TABLE audit_log RENAME TO audit_log_unwritable").Error; err != nil {
			t.Fatal(err)
		}
		answered := false
		err = audit.ReadTx(ctx, d, l, func(tx *gorm.DB) error {
			answered = true
			return l.Record(ctx, tx, audit.Entry{Action: "case.read", ObjectID: "x"})
		})
		if err == nil || !answered {
			t.Fatalf("read with an unwritable log: err %v (fn ran: %v)", err, answered)
		}
	})
}
