package market

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"flexwork/ent"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rule"
)

// Ledger entry kinds: every hire, signature, approval, payment,
// cancellation and staff decision leaves one.
const (
	LedgerHire                = "HIRE"
	LedgerContractSigned      = "CONTRACT_SIGNED"
	LedgerCheckIn             = "CHECK_IN"
	LedgerCheckOut            = "CHECK_OUT"
	LedgerNoShow              = "NO_SHOW"
	LedgerAssignmentCancelled = "ASSIGNMENT_CANCELLED"
	LedgerShiftCancelled      = "SHIFT_CANCELLED"
	LedgerTimesheetApproved   = "TIMESHEET_APPROVED"
	LedgerTimesheetDisputed   = "TIMESHEET_DISPUTED"
	LedgerPaymentMarked       = "PAYMENT_MARKED"
	LedgerPaymentConfirmed    = "PAYMENT_CONFIRMED"
	LedgerPaymentNotReceived  = "PAYMENT_NOT_RECEIVED"
	LedgerPaymentOverdue      = "PAYMENT_OVERDUE"
)

// Entry formats. Format 1 entries are links of the hash chain the ledger
// was before its Merkle log: each names the entry before, so appending one
// meant waiting for the chain's tail. Format 2 entries are hashed alone and
// get their place from the sequencer (Checkpoint) after they commit, so
// transactions that append never wait for one another.
const (
	formatChained = 1
	formatAlone   = 2
)

// appendLedger adds an entry to the ledger inside the caller's transaction:
// if the transaction rolls back, so does the entry. The entry has no seq
// until the sequencer gives it one.
func (m *Market) appendLedger(ctx context.Context, c *ent.Client, kind, subjectID, actorID string, payload any) (*ent.LedgerEntry, error) {
	if action, ok := audited[kind]; ok && isStaff(ctx) {
		if err := m.audit(ctx, c, action, subjectID, auditNote(payload)); err != nil {
			return nil, err
		}
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	// Both databases keep microseconds; hash what will be read back.
	at := m.Now().Truncate(time.Microsecond)
	return c.LedgerEntry.Create().
		SetFormat(formatAlone).
		SetKind(kind).
		SetSubjectID(subjectID).
		SetActorID(actorID).
		SetPayload(string(body)).
		SetPrevHash("").
		SetHash(EntryHash(kind, subjectID, actorID, string(body), at)).
		SetCreatedAt(at).
		Save(rule.System(ctx))
}

// LedgerHash is a format 1 entry's hash: SHA-256 over the previous entry's
// hash and every field of this one.
func LedgerHash(prev string, seq int64, kind, subject, actor, payload string, at time.Time) string {
	return hashParts(prev, strconv.FormatInt(seq, 10), kind, subject, actor, payload, at.UTC().Format(time.RFC3339Nano))
}

// EntryHash is a format 2 entry's hash: SHA-256 over its own fields only.
func EntryHash(kind, subject, actor, payload string, at time.Time) string {
	return hashParts("flexwork-ledger-entry/2", kind, subject, actor, payload, at.UTC().Format(time.RFC3339Nano))
}

// hashParts hashes each part length-prefixed, so that no two different
// entries can encode to the same bytes.
func hashParts(parts ...string) string {
	h := sha256.New()
	for _, part := range parts {
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashHolds says whether an entry hashes to what it says, by its format.
func hashHolds(e *ent.LedgerEntry) bool {
	switch e.Format {
	case formatChained:
		return e.Seq != nil && LedgerHash(e.PrevHash, *e.Seq, e.Kind, e.SubjectID, e.ActorID, e.Payload, e.CreatedAt) == e.Hash
	case formatAlone:
		return e.PrevHash == "" && EntryHash(e.Kind, e.SubjectID, e.ActorID, e.Payload, e.CreatedAt) == e.Hash
	}
	return false
}

// LedgerError says where the ledger breaks: at a place in the log, or at
// an entry not yet sequenced.
type LedgerError struct {
	Seq     int64
	EntryID string
	Reason  string
}

func (e *LedgerError) Error() string {
	if e.Seq == 0 {
		return fmt.Sprintf("ledger entry %s (not yet sequenced): %s", e.EntryID, e.Reason)
	}
	return fmt.Sprintf("ledger entry %d: %s", e.Seq, e.Reason)
}

// VerifyLedger walks the sequenced entries in order, then those waiting for
// the sequencer, and reports the first that does not hash to what it says,
// is missing from its place, or (before the log) does not follow the entry
// before it. It returns the number of entries checked. Rewriting an entry
// and its hash together passes here; the Merkle log (VerifyLog) and every
// checkpoint a witness or a receipt holds catch that.
func (m *Market) VerifyLedger(ctx context.Context) (int64, error) {
	ctx = rule.System(ctx)
	var (
		n      int64
		prev   string
		logged bool // a format 2 entry has been seen: no chain links after it
	)
	const batch = 1000
	for {
		entries, err := m.db.LedgerEntry.Query().
			Where(ledgerentry.SeqGT(n)).
			Order(ent.Asc(ledgerentry.FieldSeq)).
			Limit(batch).
			All(ctx)
		if err != nil {
			return n, err
		}
		for _, e := range entries {
			seq := *e.Seq
			switch {
			case seq != n+1:
				return n, &LedgerError{Seq: n + 1, Reason: "missing"}
			case e.Format == formatChained && logged:
				return n, &LedgerError{Seq: seq, Reason: "a chain link after the log began"}
			case e.Format == formatChained && e.PrevHash != prev:
				return n, &LedgerError{Seq: seq, Reason: "does not follow the entry before it"}
			case !hashHolds(e):
				return n, &LedgerError{Seq: seq, Reason: "content does not match its hash (tampered)"}
			}
			logged = logged || e.Format != formatChained
			n, prev = seq, e.Hash
		}
		if len(entries) < batch {
			break
		}
	}
	var last string
	for {
		queued, err := m.db.LedgerEntry.Query().
			Where(ledgerentry.SeqIsNil(), ledgerentry.IDGT(last)).
			Order(ent.Asc(ledgerentry.FieldID)).
			Limit(batch).
			All(ctx)
		if err != nil {
			return n, err
		}
		for _, e := range queued {
			if e.Format != formatAlone || !hashHolds(e) {
				return n, &LedgerError{EntryID: e.ID, Reason: "content does not match its hash (tampered)"}
			}
			n, last = n+1, e.ID
		}
		if len(queued) < batch {
			return n, nil
		}
	}
}
