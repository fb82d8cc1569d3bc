package market

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect"

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

// ledgerLock is the PostgreSQL advisory lock that serialises appends: each
// entry names the hash of the one before, so appends cannot interleave. On
// SQLite every write transaction already holds the database's write lock.
const ledgerLock = 7_202_612

// appendLedger adds an entry to the hash-chained ledger inside the caller's
// transaction: if the transaction rolls back, so does the entry.
func (m *Market) appendLedger(ctx context.Context, c *ent.Client, kind, subjectID, actorID string, payload any) (*ent.LedgerEntry, error) {
	if action, ok := audited[kind]; ok && isStaff(ctx) {
		if err := m.audit(ctx, c, action, subjectID, auditNote(payload)); err != nil {
			return nil, err
		}
	}
	ctx = rule.System(ctx)
	if m.dialect == dialect.Postgres {
		if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
			return nil, fmt.Errorf("ledger lock: %w", err)
		}
	}
	var (
		seq  int64 = 1
		prev string
	)
	last, err := c.LedgerEntry.Query().Order(ent.Desc(ledgerentry.FieldSeq)).First(ctx)
	switch {
	case err == nil:
		seq, prev = last.Seq+1, last.Hash
	case !ent.IsNotFound(err):
		return nil, err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	// Both databases keep microseconds; hash what will be read back.
	at := m.Now().Truncate(time.Microsecond)
	return c.LedgerEntry.Create().
		SetSeq(seq).
		SetKind(kind).
		SetSubjectID(subjectID).
		SetActorID(actorID).
		SetPayload(string(body)).
		SetPrevHash(prev).
		SetHash(LedgerHash(prev, seq, kind, subjectID, actorID, string(body), at)).
		SetCreatedAt(at).
		Save(ctx)
}

// LedgerHash is an entry's hash: SHA-256 over the previous entry's hash and
// every field of this one, each length-prefixed so that no two different
// entries can encode to the same bytes.
func LedgerHash(prev string, seq int64, kind, subject, actor, payload string, at time.Time) string {
	h := sha256.New()
	for _, part := range []string{prev, strconv.FormatInt(seq, 10), kind, subject, actor, payload, at.UTC().Format(time.RFC3339Nano)} {
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LedgerError says where the chain breaks.
type LedgerError struct {
	Seq    int64
	Reason string
}

func (e *LedgerError) Error() string { return fmt.Sprintf("ledger entry %d: %s", e.Seq, e.Reason) }

// VerifyLedger walks the whole chain and reports the first entry that does
// not hash to what it says, does not follow the one before, or is missing.
// It returns the number of entries checked.
func (m *Market) VerifyLedger(ctx context.Context) (int64, error) {
	ctx = rule.System(ctx)
	var (
		n    int64
		prev string
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
			switch {
			case e.Seq != n+1:
				return n, &LedgerError{Seq: n + 1, Reason: "missing"}
			case e.PrevHash != prev:
				return n, &LedgerError{Seq: e.Seq, Reason: "does not follow the entry before it"}
			case LedgerHash(e.PrevHash, e.Seq, e.Kind, e.SubjectID, e.ActorID, e.Payload, e.CreatedAt) != e.Hash:
				return n, &LedgerError{Seq: e.Seq, Reason: "content does not match its hash (tampered)"}
			}
			n, prev = e.Seq, e.Hash
		}
		if len(entries) < batch {
			return n, nil
		}
	}
}
