package ledger

import (
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
)

var ranges = compact.RangeFactory{Hash: Hasher.HashChildren}

// Node is a perfect subtree's root: its level (0 for leaves), its index
// along that level, and its hash. Proofs are made of these.
type Node struct {
	Level uint
	Index uint64
	Hash  []byte
}

// Tree grows the log: the compact range of its right edge, from which
// each appended leaf finishes some perfect subtrees.
type Tree struct{ r *compact.Range }

// Resume picks a tree up at size from its compact range's hashes, as a
// checkpoint stored them.
func Resume(size uint64, hashes [][]byte) (*Tree, error) {
	r, err := ranges.NewRange(0, size, hashes)
	if err != nil {
		return nil, err
	}
	return &Tree{r: r}, nil
}

// Append adds a leaf, reporting every node it completes (the leaf itself
// among them) to keep.
func (t *Tree) Append(leafHash []byte, keep func(Node)) error {
	return t.r.Append(leafHash, func(id compact.NodeID, hash []byte) {
		keep(Node{Level: id.Level, Index: id.Index, Hash: hash})
	})
}

// Size is the number of leaves.
func (t *Tree) Size() uint64 { return t.r.End() }

// Hashes are the compact range's hashes, to resume from.
func (t *Tree) Hashes() [][]byte { return t.r.Hashes() }

// Root is the tree's root hash (RFC 6962's empty root for no leaves).
func (t *Tree) Root() ([]byte, error) {
	if t.r.End() == 0 {
		return Hasher.EmptyRoot(), nil
	}
	return t.r.GetRootHash(nil)
}

// Proof is the list of nodes a proof needs and how to fold the fetched
// hashes into the proof.
type Proof struct{ nodes proof.Nodes }

// InclusionProof names the nodes of the inclusion proof of leaf index in a
// tree of size leaves.
func InclusionProof(index, size uint64) (Proof, error) {
	n, err := proof.Inclusion(index, size)
	return Proof{n}, err
}

// ConsistencyProof names the nodes proving the tree of size2 extends the
// one of size1.
func ConsistencyProof(size1, size2 uint64) (Proof, error) {
	n, err := proof.Consistency(size1, size2)
	return Proof{n}, err
}

// Needs is the nodes to fetch, in order.
func (p Proof) Needs() []Node {
	out := make([]Node, len(p.nodes.IDs))
	for i, id := range p.nodes.IDs {
		out[i] = Node{Level: id.Level, Index: id.Index}
	}
	return out
}

// Of folds the fetched hashes (in Needs' order) into the proof.
func (p Proof) Of(hashes [][]byte) ([][]byte, error) {
	return p.nodes.Rehash(hashes, Hasher.HashChildren)
}
