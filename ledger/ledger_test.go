package ledger

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// memLog is a log in memory: the nodes a database would keep.
type memLog struct {
	tree  *Tree
	nodes map[[2]uint64][]byte
	leafs []Leaf
	pays  []string
}

func newMemLog() *memLog {
	t, _ := Resume(0, nil)
	return &memLog{tree: t, nodes: map[[2]uint64][]byte{}}
}

func (l *memLog) add(t *testing.T, kind, payload string) {
	leaf := Leaf{Index: uint64(len(l.leafs)), EntryID: fmt.Sprintf("led_%d", len(l.leafs)), Kind: kind, SubjectID: "ctr_1",
		At: time.Date(2026, 12, 1, 9, 0, len(l.leafs), 0, time.UTC), PayloadSHA256: PayloadDigest(payload)}
	l.leafs, l.pays = append(l.leafs, leaf), append(l.pays, payload)
	if err := l.tree.Append(leaf.Hash(), func(n Node) { l.nodes[[2]uint64{uint64(n.Level), n.Index}] = n.Hash }); err != nil {
		t.Fatal(err)
	}
}

func (l *memLog) fetch(t *testing.T, p Proof) [][]byte {
	var hs [][]byte
	for _, n := range p.Needs() {
		h, ok := l.nodes[[2]uint64{uint64(n.Level), n.Index}]
		if !ok {
			t.Fatalf("node %d/%d was never stored", n.Level, n.Index)
		}
		hs = append(hs, bytes.Clone(h))
	}
	out, err := p.Of(hs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (l *memLog) checkpoint(t *testing.T, s note.Signer) string {
	root, err := l.tree.Root()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := Sign(Checkpoint{Origin: s.Name(), Size: l.tree.Size(), Root: root}, s)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func (l *memLog) receipt(t *testing.T, i uint64, signed string) Receipt {
	p, err := InclusionProof(i, l.tree.Size())
	if err != nil {
		t.Fatal(err)
	}
	return Receipt{Leaf: l.leafs[i], Payload: l.pays[i], Size: l.tree.Size(), Proof: l.fetch(t, p), Checkpoint: signed}
}

func keys(t *testing.T) (note.Signer, note.Verifier) {
	skey, vkey, err := NewKey("flexwork.test/ledger", bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

func TestReceiptsAndConsistencyVerify(t *testing.T) {
	s, v := keys(t)
	l := newMemLog()
	var checkpoints []string
	for i := range 37 {
		l.add(t, "HIRE", fmt.Sprintf(`{"contractSha256":"%064d"}`, i))
		if i%5 == 4 {
			checkpoints = append(checkpoints, l.checkpoint(t, s))
		}
	}
	last := l.checkpoint(t, s)
	for i := range uint64(37) {
		if _, err := l.receipt(t, i, last).Verify(v); err != nil {
			t.Fatalf("receipt %d: %v", i, err)
		}
	}
	to, _, err := Open(last, v)
	if err != nil {
		t.Fatal(err)
	}
	for _, old := range checkpoints {
		from, _, _ := Open(old, v)
		p, err := ConsistencyProof(from.Size, to.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyConsistency(from, to, l.fetch(t, p)); err != nil {
			t.Fatalf("%d → %d: %v", from.Size, to.Size, err)
		}
	}
}

func TestTamperingIsDetected(t *testing.T) {
	s, v := keys(t)
	honest := newMemLog()
	for i := range 20 {
		honest.add(t, "HIRE", fmt.Sprintf(`{"n":%d}`, i))
	}
	signed := honest.checkpoint(t, s)
	kept := honest.receipt(t, 7, signed) // the worker keeps this
	old, _, _ := Open(signed, v)         // a witness keeps this

	// A rewritten log: entry 7 edited, then everything re-hashed and
	// re-signed with the log's own key.
	rewrite := func(edit func(i int, kind, payload string) (string, string), n int) *memLog {
		l := newMemLog()
		for i := range n {
			kind, payload := "HIRE", fmt.Sprintf(`{"n":%d}`, i)
			if edit != nil {
				kind, payload = edit(i, kind, payload)
			}
			l.add(t, kind, payload)
		}
		return l
	}
	for name, l := range map[string]*memLog{
		"an edited leaf": rewrite(func(i int, k, p string) (string, string) {
			if i == 7 {
				return k, `{"n":700}`
			}
			return k, p
		}, 25),
		"two leaves swapped": rewrite(func(i int, k, p string) (string, string) {
			switch i {
			case 7:
				return k, `{"n":8}`
			case 8:
				return k, `{"n":7}`
			}
			return k, p
		}, 25),
		"truncated and regrown": rewrite(func(i int, k, p string) (string, string) {
			if i >= 15 {
				return "CONTRACT_SIGNED", p
			}
			return k, p
		}, 25),
	} {
		forged := l.checkpoint(t, s)
		// The worker's receipt, checked against the forged log's new state.
		newer, _, _ := Open(forged, v)
		p, _ := InclusionProof(kept.Leaf.Index, newer.Size)
		moved := Receipt{Leaf: kept.Leaf, Payload: kept.Payload, Size: newer.Size, Proof: l.fetch(t, p), Checkpoint: forged}
		_, receiptErr := moved.Verify(v)
		// The witness, asking for a consistency proof from what it holds.
		cp, _ := ConsistencyProof(old.Size, newer.Size)
		consistencyErr := VerifyConsistency(old, newer, l.fetch(t, cp))
		if consistencyErr == nil {
			t.Errorf("%s: a witness holding size %d did not notice", name, old.Size)
		}
		if name != "truncated and regrown" && receiptErr == nil {
			t.Errorf("%s: the worker's receipt still verifies", name)
		}
	}
	if _, err := kept.Verify(v); err != nil {
		t.Fatalf("the honest receipt: %v", err)
	}
	// A receipt whose payload was changed after the fact.
	kept.Payload = `{"n":700}`
	if _, err := kept.Verify(v); err == nil {
		t.Error("a receipt with an edited payload verifies")
	}
}

func TestACheckpointMustBeTheLogs(t *testing.T) {
	s, v := keys(t)
	l := newMemLog()
	l.add(t, "HIRE", "{}")
	skey, _, _ := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{9}, 32)), "flexwork.test/ledger")
	other, _ := note.NewSigner(skey)
	if _, _, err := Open(l.checkpoint(t, other), v); err == nil {
		t.Error("a checkpoint signed by another key of the same name opened")
	}
	if c, _, err := Open(l.checkpoint(t, s), v); err != nil || c.Size != 1 {
		t.Errorf("the log's own checkpoint: %+v %v", c, err)
	}
}

func TestThePublicKeyComesFromTheSignerKey(t *testing.T) {
	skey, vkey, err := NewKey("flexwork.test/ledger", bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := PublicKey(skey); err != nil || got != vkey {
		t.Fatalf("PublicKey = %q, %v; want %q", got, err, vkey)
	}
}
