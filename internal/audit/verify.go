package audit

import (
	"context"
	"fmt"
)

// Problem names the first entry at which the chain is broken.
type Problem struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// Report is the result of a verification.
type Report struct {
	Entries  int64    `json:"entries"`
	HeadSeq  int64    `json:"head_seq"`
	HeadHash string   `json:"head_hash"`
	Problem  *Problem `json:"problem,omitempty"`
}

// OK reports whether the chain verified.
func (r Report) OK() bool { return r.Problem == nil }

const verifyBatch = 2000

// next checks that r is the entry that follows the report's head, and if so
// makes it the head: its sequence number is the next one (none deleted),
// its prev_hash is the head's hash (none reordered or inserted) and its hash
// is that of its content (not edited). It returns the problem otherwise.
func (rep *Report) next(r *Row) *Problem {
	if want := rep.HeadSeq + 1; r.Seq != want {
		return &Problem{Seq: want, Reason: fmt.Sprintf("entry %d is missing (the next entry is %d)", want, r.Seq)}
	}
	if r.PrevHash != rep.HeadHash {
		return &Problem{Seq: r.Seq, Reason: "prev_hash does not match the previous entry's hash (entries reordered, inserted or rewritten)"}
	}
	if r.ComputeHash() != r.Hash {
		return &Problem{Seq: r.Seq, Reason: "hash does not match the entry's content (entry altered)"}
	}
	rep.Entries++
	rep.HeadSeq, rep.HeadHash = r.Seq, r.Hash
	return nil
}

// Verify re-reads the whole log in order and recomputes every hash. It stops
// at the first broken entry: a missing sequence number (deleted entry), a
// prev_hash that does not match the previous entry (reordered or inserted),
// or a hash that does not match the entry's content (edited). progress, when
// not nil, is called after each batch with the number of entries checked.
func (l *Log) Verify(ctx context.Context, progress func(checked int64)) (Report, error) {
	rep := Report{HeadHash: GenesisHash}
	var rows []Row
	for {
		rows = rows[:0]
		err := l.db.WithContext(ctx).Where("seq > ?", rep.HeadSeq).Order("seq").Limit(verifyBatch).Find(&rows).Error
		if err != nil {
			return rep, fmt.Errorf("audit verify: read entries after %d: %w", rep.HeadSeq, err)
		}
		for i := range rows {
			if rep.Problem = rep.next(&rows[i]); rep.Problem != nil {
				return rep, nil
			}
		}
		if progress != nil && len(rows) > 0 {
			progress(rep.Entries)
		}
		if len(rows) < verifyBatch {
			return rep, nil
		}
	}
}

// VerifyCheckpoint verifies the chain and then that the entry a signed
// checkpoint names still has the hash the checkpoint recorded. A chain
// rewritten consistently from the start passes Verify but fails here. The
// checkpoint's signature must already have been checked (Checkpoint.Check).
func (l *Log) VerifyCheckpoint(ctx context.Context, cp Checkpoint, progress func(int64)) (Report, error) {
	rep, err := l.Verify(ctx, progress)
	if err != nil || !rep.OK() {
		return rep, err
	}
	if cp.Seq == 0 {
		return rep, nil
	}
	if cp.Seq > rep.HeadSeq {
		rep.Problem = &Problem{Seq: cp.Seq, Reason: fmt.Sprintf("checkpoint names entry %d but the log ends at %d (entries removed)", cp.Seq, rep.HeadSeq)}
		return rep, nil
	}
	var r Row
	if err := l.db.WithContext(ctx).Where("seq = ?", cp.Seq).Take(&r).Error; err != nil {
		return rep, fmt.Errorf("audit verify: read entry %d: %w", cp.Seq, err)
	}
	if r.Hash != cp.Hash {
		rep.Problem = &Problem{Seq: cp.Seq, Reason: "entry hash differs from the signed checkpoint (the chain was rewritten)"}
	}
	return rep, nil
}
