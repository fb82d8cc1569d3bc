package ledger

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"
)

// Receipt proves one entry is in the log: the leaf, the entry's payload
// (whose digest the leaf records), an inclusion proof, and the signed
// checkpoint it proves against. A party keeps it; anyone holding the log's
// public key checks it, without the database.
type Receipt struct {
	Leaf       Leaf     `json:"leaf"`
	Payload    string   `json:"payload"`
	Size       uint64   `json:"size"`
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"` // signed note, with any witnesses' cosignatures
}

// Verify checks the receipt against the log's public key: the checkpoint's
// signature, the payload's digest, and the inclusion of the leaf at its
// index in the tree of the checkpoint's size.
func (r Receipt) Verify(log note.Verifier) (Checkpoint, error) {
	c, _, err := Open(r.Checkpoint, log)
	if err != nil {
		return c, err
	}
	if c.Size != r.Size {
		return c, fmt.Errorf("ledger: receipt for size %d, checkpoint of size %d", r.Size, c.Size)
	}
	if PayloadDigest(r.Payload) != r.Leaf.PayloadSHA256 {
		return c, errors.New("ledger: the payload does not match the leaf's digest")
	}
	if err := proof.VerifyInclusion(Hasher, r.Leaf.Index, c.Size, r.Leaf.Hash(), r.Proof, c.Root); err != nil {
		return c, fmt.Errorf("ledger: entry %s is not in the log at index %d: %w", r.Leaf.EntryID, r.Leaf.Index, err)
	}
	return c, nil
}

// VerifyConsistency checks that the log of checkpoint to only grew from
// that of from: to's tree holds from's as its prefix.
func VerifyConsistency(from, to Checkpoint, p [][]byte) error {
	if from.Origin != to.Origin {
		return errors.New("ledger: checkpoints of different logs")
	}
	if from.Size == to.Size {
		if !bytes.Equal(from.Root, to.Root) {
			return errors.New("ledger: two different trees of the same size (the log was rewritten)")
		}
		return nil
	}
	if err := proof.VerifyConsistency(Hasher, from.Size, to.Size, p, from.Root, to.Root); err != nil {
		return fmt.Errorf("ledger: the log of size %d is not an extension of the one of size %d (rewritten): %w", to.Size, from.Size, err)
	}
	return nil
}
