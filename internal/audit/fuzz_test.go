package audit

import (
	"fmt"
	"testing"
)

// chainOf builds a valid chain of n entries in memory.
func chainOf(n int) []Row {
	rows := make([]Row, n)
	prev := GenesisHash
	for i := range rows {
		r := &rows[i]
		*r = Row{Seq: int64(i + 1), At: fmt.Sprintf("2026-11-27T07:%02d:00.000000Z", i), ActorID: "u1", ActorRole: "lawyer",
			Action: "case.update", ObjectType: "case", ObjectID: "c1", CaseID: "c1", ClientIP: "192.0.2.7",
			RequestID: fmt.Sprint("r", i), Outcome: "ok", Details: `{"fields":{"stage":"indicted"}}`, PrevHash: prev}
		r.Hash = r.ComputeHash()
		prev = r.Hash
	}
	return rows
}

// verifyRows runs the verification of Log.Verify over rows in memory.
func verifyRows(rows []Row) Report {
	rep := Report{HeadHash: GenesisHash}
	for i := range rows {
		if rep.Problem = rep.next(&rows[i]); rep.Problem != nil {
			break
		}
	}
	return rep
}

// FuzzChainVerification: changing any one field of any one entry of a valid
// chain to any other value makes verification fail at exactly that entry;
// leaving it unchanged verifies. Never a panic.
func FuzzChainVerification(f *testing.F) {
	f.Add(uint8(2), uint8(4), "case.delete")
	f.Add(uint8(0), uint8(0), "7")
	f.Add(uint8(4), uint8(12), "")
	f.Add(uint8(3), uint8(11), "\xff")
	f.Add(uint8(1), uint8(13), "0000")
	f.Fuzz(func(t *testing.T, idx, field uint8, v string) {
		rows := chainOf(5)
		i := int(idx) % len(rows)
		r := &rows[i]
		ptrs := []*string{&r.At, &r.ActorID, &r.ActorRole, &r.Action, &r.ObjectType, &r.ObjectID, &r.CaseID,
			&r.ClientIP, &r.RequestID, &r.Outcome, &r.Details, &r.PrevHash, &r.Hash}
		changed := false
		if k := int(field) % (len(ptrs) + 1); k == len(ptrs) {
			var n int64
			_, _ = fmt.Sscan(v, &n)
			changed, r.Seq = n != r.Seq, n
		} else {
			changed, *ptrs[k] = *ptrs[k] != v, v
		}
		rep := verifyRows(rows)
		switch {
		case !changed && !rep.OK():
			t.Fatalf("unchanged chain fails: %+v", rep.Problem)
		case changed && rep.OK():
			t.Fatalf("entry %d field %d set to %q: the chain still verifies", i+1, field, v)
		case changed && rep.Problem.Seq != int64(i+1):
			t.Fatalf("entry %d changed, verification names entry %d: %s", i+1, rep.Problem.Seq, rep.Problem.Reason)
		}
	})
}
