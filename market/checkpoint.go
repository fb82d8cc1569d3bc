package market

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"
	"golang.org/x/mod/sumdb/note"

	"flexwork/ent"
	"flexwork/ent/ledgercheckpoint"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/ledgernode"
	"flexwork/ent/predicate"
	"flexwork/ent/rule"
	"flexwork/ent/schema/pulid"
	"flexwork/ledger"
)

// Log is the key that signs the verifiable log's checkpoints: its signer,
// and the public key anyone checks them with.
type Log struct {
	Signer    note.Signer
	Verifier  note.Verifier
	PublicKey string // the verifier key in note's text format
	// Witnesses are the keys of the witnesses whose cosignatures the log
	// keeps beside its own signature.
	Witnesses []note.Verifier
}

// NewLog reads a note signer key (PRIVATE+KEY+origin+…), its public key,
// and the public keys of the witnesses whose cosignatures to keep.
func NewLog(skey, vkey string, witnessKeys ...string) (*Log, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("ledger signing key: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("ledger public key: %w", err)
	}
	if s.Name() != v.Name() || s.KeyHash() != v.KeyHash() {
		return nil, errors.New("ledger: the public key is not the signing key's")
	}
	l := &Log{Signer: s, Verifier: v, PublicKey: vkey}
	for _, k := range witnessKeys {
		w, err := ledger.NewWitnessVerifier(k)
		if err != nil {
			return nil, fmt.Errorf("witness key %q: %w", k, err)
		}
		l.Witnesses = append(l.Witnesses, w)
	}
	return l, nil
}

// WithLog makes the market sign checkpoints of its ledger with l.
func WithLog(l *Log) Option { return func(m *Market) { m.log = l } }

// LogKey is the log's public key, or "" when the market signs none.
func (m *Market) LogKey() string {
	if m.log == nil {
		return ""
	}
	return m.log.PublicKey
}

// checkpointLock serialises sequencers and checkpointers across replicas
// on PostgreSQL; SQLite's write lock does the same there.
const checkpointLock = 7_202_613

// checkpointBatch is the most entries one checkpoint adds; a run takes at
// most checkpointRounds of them, and the next run the rest.
const (
	checkpointBatch  = 5000
	checkpointRounds = 20
)

// Checkpoint is the ledger's sequencer: it gives the entries that committed
// since its last run their places in the log (oldest first), extends the
// log's Merkle tree with them, stores the new nodes and signs a checkpoint of
// the new size, a batch per transaction until it has caught up. It returns
// the latest checkpoint (nil while the ledger is empty). A market without a
// signing key only sequences.
func (m *Market) Checkpoint(ctx context.Context) (*ent.LedgerCheckpoint, error) {
	more, err := m.sequencerHasWork(ctx)
	if err != nil || !more {
		return m.LatestCheckpoint(ctx)
	}
	var out *ent.LedgerCheckpoint
	for round := 0; more && round < checkpointRounds; round++ {
		out, more, err = m.checkpointBatch(ctx)
		if ent.IsConstraintError(err) {
			// Another checkpointer (a job that overran its interval)
			// wrote the same nodes first; its checkpoint stands.
			return m.LatestCheckpoint(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sequencerHasWork says whether entries wait for a place, or (with a key)
// placed entries wait for a checkpoint. It only reads, so that an idle run
// never takes SQLite's write lock from the writers.
func (m *Market) sequencerHasWork(ctx context.Context) (bool, error) {
	sys := rule.System(ctx)
	if waiting, err := m.db.LedgerEntry.Query().Where(ledgerentry.SeqIsNil()).Exist(sys); err != nil || waiting {
		return waiting, err
	}
	if m.log == nil {
		return false, nil
	}
	last, err := m.db.LedgerEntry.Query().Where(ledgerentry.SeqNotNil()).Order(ent.Desc(ledgerentry.FieldSeq)).First(sys)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	cp, err := m.LatestCheckpoint(ctx)
	return err == nil && (cp == nil || *last.Seq > cp.Size), err
}

// checkpointBatch sequences and checkpoints up to checkpointBatch entries
// in one transaction, and says whether more are waiting.
func (m *Market) checkpointBatch(ctx context.Context) (out *ent.LedgerCheckpoint, more bool, err error) {
	err = m.inTx(rule.System(ctx), func(ctx context.Context, c *ent.Client) error {
		if m.dialect == dialect.Postgres {
			if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", checkpointLock); err != nil {
				return fmt.Errorf("checkpoint lock: %w", err)
			}
		}
		placed, err := m.sequence(ctx, c)
		if err != nil {
			return err
		}
		more = placed == checkpointBatch
		if m.log == nil {
			return nil
		}
		last, err := c.LedgerCheckpoint.Query().Order(ent.Desc(ledgercheckpoint.FieldSize)).First(ctx)
		var tree *ledger.Tree
		switch {
		case ent.IsNotFound(err):
			tree, _ = ledger.Resume(0, nil)
		case err != nil:
			return err
		default:
			out = last
			if tree, err = ledger.Resume(uint64(last.Size), decodeHashes(last.Compact)); err != nil {
				return fmt.Errorf("ledger: resume at %d: %w", last.Size, err)
			}
		}
		entries, err := c.LedgerEntry.Query().Where(ledgerentry.SeqGT(int64(tree.Size()))).
			Order(ent.Asc(ledgerentry.FieldSeq)).Limit(checkpointBatch).All(ctx)
		if err != nil || len(entries) == 0 {
			return err
		}
		more = more || len(entries) == checkpointBatch
		var nodes []*ent.LedgerNodeCreate
		for _, e := range entries {
			if uint64(*e.Seq) != tree.Size()+1 {
				return fmt.Errorf("ledger: entry %d missing before entry %d", tree.Size()+1, *e.Seq)
			}
			if err := tree.Append(leafOf(e).Hash(), func(n ledger.Node) {
				nodes = append(nodes, c.LedgerNode.Create().SetLevel(int(n.Level)).SetIndex(int64(n.Index)).SetHash(n.Hash))
			}); err != nil {
				return err
			}
		}
		for i := 0; i < len(nodes); i += 1000 {
			if err := c.LedgerNode.CreateBulk(nodes[i:min(i+1000, len(nodes))]...).Exec(ctx); err != nil {
				return err
			}
		}
		root, err := tree.Root()
		if err != nil {
			return err
		}
		signed, err := ledger.Sign(ledger.Checkpoint{Origin: m.log.Signer.Name(), Size: tree.Size(), Root: root}, m.log.Signer)
		if err != nil {
			return err
		}
		out, err = c.LedgerCheckpoint.Create().SetSize(int64(tree.Size())).SetRoot(root).SetNote(signed).
			SetCompact(encodeHashes(tree.Hashes())).SetCreatedAt(m.Now()).Save(ctx)
		return err
	})
	return out, more, err
}

// sequence gives up to checkpointBatch entries without a place the next
// seqs, in the order of their times (then IDs), in one statement. Only the
// sequencer sets seq, under its lock, so the places it gives are contiguous;
// an entry whose transaction commits late simply gets a later place.
func (m *Market) sequence(ctx context.Context, c *ent.Client) (int64, error) {
	var next int64
	last, err := c.LedgerEntry.Query().Where(ledgerentry.SeqNotNil()).Order(ent.Desc(ledgerentry.FieldSeq)).First(ctx)
	switch {
	case err == nil:
		next = *last.Seq
	case !ent.IsNotFound(err):
		return 0, err
	}
	q := `UPDATE ledger_entries SET seq = queue.seq FROM (
		SELECT id, ? + row_number() OVER (ORDER BY created_at, id) AS seq
		FROM ledger_entries WHERE seq IS NULL ORDER BY created_at, id LIMIT ?
	) AS queue WHERE ledger_entries.id = queue.id`
	if m.dialect == dialect.Postgres {
		q = strings.Replace(strings.Replace(q, "?", "$1::bigint", 1), "?", "$2", 1)
	}
	res, err := c.ExecContext(ctx, q, next, checkpointBatch)
	if err != nil {
		return 0, fmt.Errorf("ledger: sequence: %w", err)
	}
	return res.RowsAffected()
}

// leafOf is the log's leaf for a ledger entry: IDs, kind, time and digests.
func leafOf(e *ent.LedgerEntry) ledger.Leaf {
	return ledger.Leaf{Index: uint64(*e.Seq - 1), EntryID: e.ID, Kind: e.Kind, SubjectID: e.SubjectID, ActorID: e.ActorID,
		At: e.CreatedAt, PayloadSHA256: ledger.PayloadDigest(e.Payload), EntryHash: e.Hash}
}

func encodeHashes(hs [][]byte) string {
	lines := make([]string, len(hs))
	for i, h := range hs {
		lines[i] = base64.StdEncoding.EncodeToString(h)
	}
	return strings.Join(lines, "\n")
}

func decodeHashes(s string) [][]byte {
	if s == "" {
		return nil
	}
	var out [][]byte
	for _, l := range strings.Split(s, "\n") {
		h, _ := base64.StdEncoding.DecodeString(l)
		out = append(out, h)
	}
	return out
}

// LatestCheckpoint is the newest signed checkpoint, or nil before the first.
func (m *Market) LatestCheckpoint(ctx context.Context) (*ent.LedgerCheckpoint, error) {
	k, err := m.client(ctx).LedgerCheckpoint.Query().Order(ent.Desc(ledgercheckpoint.FieldSize)).First(rule.System(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return k, err
}

// proofOf fetches the stored nodes a proof needs and folds them into it.
func (m *Market) proofOf(ctx context.Context, p ledger.Proof) ([][]byte, error) {
	needs := p.Needs()
	if len(needs) == 0 {
		return [][]byte{}, nil
	}
	ps := make([]predicate.LedgerNode, len(needs))
	for i, n := range needs {
		ps[i] = ledgernode.And(ledgernode.Level(int(n.Level)), ledgernode.Index(int64(n.Index)))
	}
	rows, err := m.client(ctx).LedgerNode.Query().Where(ledgernode.Or(ps...)).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	found := map[[2]int64][]byte{}
	for _, r := range rows {
		found[[2]int64{int64(r.Level), r.Index}] = r.Hash
	}
	hashes := make([][]byte, len(needs))
	for i, n := range needs {
		h, ok := found[[2]int64{int64(n.Level), int64(n.Index)}]
		if !ok {
			return nil, fmt.Errorf("ledger: node %d/%d is not stored", n.Level, n.Index)
		}
		hashes[i] = h
	}
	return p.Of(hashes)
}

// LedgerConsistency proves the log of size to extends the one of size
// from; both at most the latest checkpoint's size.
func (m *Market) LedgerConsistency(ctx context.Context, from, to int) ([][]byte, error) {
	last, err := m.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case from < 1:
		return nil, BadInput("from", "must be at least 1")
	case to < from:
		return nil, BadInput("to", "must be at least from")
	case last == nil || int64(to) > last.Size:
		return nil, BadInput("to", "is larger than the latest checkpoint")
	}
	p, err := ledger.ConsistencyProof(uint64(from), uint64(to))
	if err != nil {
		return nil, err
	}
	return m.proofOf(ctx, p)
}

// ContractReceipt is the receipt of a contract's latest signature (its
// entry names the text's SHA-256) against the latest checkpoint, for a
// party to the contract; nil until a checkpoint covers the signature.
func (m *Market) ContractReceipt(ctx context.Context, contractID string) (*ledger.Receipt, error) {
	if _, err := m.db.Contract.Get(ctx, contractID); ent.IsNotFound(err) {
		return nil, NotFound("contract")
	} else if err != nil {
		return nil, err
	}
	return m.latestReceipt(ctx, contractID, LedgerContractSigned)
}

// latestReceipt is the receipt of the latest entry of kind about subjectID
// against the latest checkpoint; nil until a checkpoint covers one. It
// reads through the request's transaction when there is one (a mutation's
// payload asks for its receipt): never a second connection.
func (m *Market) latestReceipt(ctx context.Context, subjectID, kind string) (*ledger.Receipt, error) {
	last, err := m.LatestCheckpoint(ctx)
	if err != nil || last == nil {
		return nil, err
	}
	e, err := m.client(ctx).LedgerEntry.Query().Where(ledgerentry.SubjectID(subjectID), ledgerentry.Kind(kind),
		ledgerentry.SeqLTE(last.Size)).Order(ent.Desc(ledgerentry.FieldSeq)).First(rule.System(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return m.receiptOf(ctx, e, last)
}

// Receipts are the receipts of every entry about a hire, a timesheet or a
// contract that the latest checkpoint covers, in the log's order, for the
// parties to it: whoever may read the record (its worker, its employer's
// members, its agency's) may hold the proofs of what the ledger says of it.
func (m *Market) Receipts(ctx context.Context, subjectID string) ([]*ledger.Receipt, error) {
	var err error
	switch pulid.Prefix(subjectID) {
	case "asg":
		_, err = m.db.Assignment.Get(ctx, subjectID)
	case "tms":
		_, err = m.db.Timesheet.Get(ctx, subjectID)
	case "ctr":
		_, err = m.db.Contract.Get(ctx, subjectID)
	default:
		return nil, BadInput("id", "receipts are kept for hires, timesheets and contracts")
	}
	if ent.IsNotFound(err) {
		return nil, NotFound("record")
	} else if err != nil {
		return nil, err
	}
	last, err := m.LatestCheckpoint(ctx)
	if err != nil || last == nil {
		return nil, err
	}
	entries, err := m.db.LedgerEntry.Query().Where(ledgerentry.SubjectID(subjectID), ledgerentry.SeqLTE(last.Size)).
		Order(ent.Asc(ledgerentry.FieldSeq)).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]*ledger.Receipt, len(entries))
	for i, e := range entries {
		if out[i], err = m.receiptOf(ctx, e, last); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// receiptOf proves a sequenced entry against a checkpoint that covers it.
func (m *Market) receiptOf(ctx context.Context, e *ent.LedgerEntry, cp *ent.LedgerCheckpoint) (*ledger.Receipt, error) {
	leaf := leafOf(e)
	p, err := ledger.InclusionProof(leaf.Index, uint64(cp.Size))
	if err != nil {
		return nil, err
	}
	hashes, err := m.proofOf(ctx, p)
	if err != nil {
		return nil, err
	}
	return &ledger.Receipt{Leaf: leaf, Payload: e.Payload, Size: uint64(cp.Size), Proof: hashes, Checkpoint: cp.Note}, nil
}

// VerifyLog rebuilds the log's tree from the ledger's entries and checks
// every stored checkpoint against it: its signature, its size and its root,
// and every stored leaf against its entry. It returns how many checkpoints
// it checked. A changed, reordered, removed or inserted entry, or a leaf
// rewritten behind the entries' back, makes it fail.
func (m *Market) VerifyLog(ctx context.Context) (int, error) {
	if m.log == nil {
		return 0, errors.New("ledger: no key to check checkpoints with")
	}
	ctx = rule.System(ctx)
	cps, err := m.db.LedgerCheckpoint.Query().Order(ent.Asc(ledgercheckpoint.FieldSize)).All(ctx)
	if err != nil || len(cps) == 0 {
		return 0, err
	}
	tree, _ := ledger.Resume(0, nil)
	next, checked := 0, 0
	const batch = 1000
	for next < len(cps) {
		entries, err := m.db.LedgerEntry.Query().Where(ledgerentry.SeqGT(int64(tree.Size()))).
			Order(ent.Asc(ledgerentry.FieldSeq)).Limit(batch).All(ctx)
		if err != nil {
			return checked, err
		}
		leaves, err := m.db.LedgerNode.Query().Where(ledgernode.Level(0), ledgernode.IndexGTE(int64(tree.Size()))).
			Order(ent.Asc(ledgernode.FieldIndex)).Limit(batch).All(ctx)
		if err != nil {
			return checked, err
		}
		if len(entries) == 0 {
			return checked, fmt.Errorf("ledger: checkpoint of size %d, but the ledger holds %d entries (truncated)", cps[next].Size, tree.Size())
		}
		for i, e := range entries {
			if uint64(*e.Seq) != tree.Size()+1 {
				return checked, fmt.Errorf("ledger: entry %d missing", tree.Size()+1)
			}
			h := leafOf(e).Hash()
			if i < len(leaves) && leaves[i].Index == int64(tree.Size()) && string(leaves[i].Hash) != string(h) {
				return checked, fmt.Errorf("ledger: entry %d does not match the log's leaf %d (the entry or the leaf was changed)", *e.Seq, *e.Seq-1)
			}
			if err := tree.Append(h, func(ledger.Node) {}); err != nil {
				return checked, err
			}
			for next < len(cps) && uint64(cps[next].Size) == tree.Size() {
				if err := checkCheckpoint(m.log, cps[next], tree); err != nil {
					return checked, err
				}
				next++
				checked++
			}
		}
	}
	return checked, nil
}

// checkCheckpoint compares a stored checkpoint with the tree rebuilt to its
// size: the signature, the note's size and root, and the stored root.
func checkCheckpoint(l *Log, cp *ent.LedgerCheckpoint, tree *ledger.Tree) error {
	root, err := tree.Root()
	if err != nil {
		return err
	}
	c, _, err := ledger.Open(cp.Note, l.Verifier)
	switch {
	case err != nil:
		return fmt.Errorf("ledger: checkpoint of size %d: %w", cp.Size, err)
	case c.Size != uint64(cp.Size) || string(c.Root) != string(cp.Root):
		return fmt.Errorf("ledger: checkpoint of size %d: the signed note says otherwise than the row", cp.Size)
	case string(root) != string(c.Root):
		return fmt.Errorf("ledger: checkpoint of size %d: the entries hash to another root (the ledger was rewritten)", cp.Size)
	}
	return nil
}

// Cosign keeps a witness's cosignature of a checkpoint: the note the witness
// returned must be a stored checkpoint's text signed by a configured
// witness key. The checkpoint's note then carries the cosignature, and so
// does every receipt against it.
func (m *Market) Cosign(ctx context.Context, cosigned string) (*ent.LedgerCheckpoint, error) {
	if m.log == nil {
		return nil, errors.New("ledger: no log key configured")
	}
	end := strings.Index(cosigned, "\n\n")
	if end < 0 {
		return nil, BadInput("note", "is not a signed note")
	}
	text := cosigned[:end+1]
	c, err := ledger.ParseCheckpoint(text)
	if err != nil {
		return nil, BadInput("note", err.Error())
	}
	var out *ent.LedgerCheckpoint
	err = m.inTx(rule.System(ctx), func(ctx context.Context, tx *ent.Client) error {
		cp, err := tx.LedgerCheckpoint.Query().Where(ledgercheckpoint.Size(int64(c.Size))).Only(ctx)
		if ent.IsNotFound(err) {
			return BadInput("note", "names no checkpoint of this log")
		}
		if err != nil {
			return err
		}
		if !strings.HasPrefix(cp.Note, text+"\n") {
			return BadInput("note", "is not this log's checkpoint of that size")
		}
		sigs, err := ledger.Cosignatures(cosigned, text, m.log.Witnesses)
		if err != nil {
			return Forbidden("%s", err.Error())
		}
		out, err = tx.LedgerCheckpoint.UpdateOneID(cp.ID).SetNote(ledger.WithSignatures(cp.Note, sigs)).Save(ctx)
		return err
	})
	return out, err
}
