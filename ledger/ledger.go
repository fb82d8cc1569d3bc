// Package ledger is the verifiable log under flexwork's record: every
// ledger entry is a leaf of an RFC 6962 Merkle tree (through
// transparency-dev/merkle), and the server signs checkpoints — origin, size,
// root hash — in the C2SP signed-note format (golang.org/x/mod/sumdb/note).
// With a checkpoint and its public key, anyone can check a receipt (an
// entry's inclusion proof) or that a later checkpoint only grew the log
// (a consistency proof), without the database. Witnesses co-sign
// checkpoints in the C2SP tlog-cosignature/v1 format (transparency-dev/formats).
// It is plain Go with no I/O.
package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

// Hasher is the tree's hasher: RFC 6962 with SHA-256.
var Hasher = rfc6962.DefaultHasher

// Leaf is what the log commits to for one entry: IDs, the kind, the time,
// and digests — never the payload itself, which may name people, so that
// the log and receipts can be shown to third parties.
type Leaf struct {
	Index         uint64    `json:"index"`
	EntryID       string    `json:"entryID"`
	Kind          string    `json:"kind"`
	SubjectID     string    `json:"subjectID"`
	ActorID       string    `json:"actorID"`
	At            time.Time `json:"at"`
	PayloadSHA256 string    `json:"payloadSHA256"`
	EntryHash     string    `json:"entryHash"` // the entry's hash-chain hash, for entries that have one
}

const leafVersion = "flexwork-ledger-leaf/v1"

// Bytes is the leaf's canonical encoding, the data its leaf hash covers:
// one field per line, each length-prefixed, after a version line.
func (l Leaf) Bytes() []byte {
	var b bytes.Buffer
	b.WriteString(leafVersion + "\n")
	for _, f := range []string{strconv.FormatUint(l.Index, 10), l.EntryID, l.Kind, l.SubjectID, l.ActorID,
		l.At.UTC().Format(time.RFC3339Nano), l.PayloadSHA256, l.EntryHash} {
		fmt.Fprintf(&b, "%d:%s\n", len(f), f)
	}
	return b.Bytes()
}

// Hash is the leaf's RFC 6962 leaf hash.
func (l Leaf) Hash() []byte { return Hasher.HashLeaf(l.Bytes()) }

// PayloadDigest is the hex SHA-256 a leaf records of an entry's payload.
func PayloadDigest(payload string) string {
	sum := sha256.Sum256([]byte(payload))
	return hex.EncodeToString(sum[:])
}

// Checkpoint is a log state: its origin (the log's name), size, and root.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   []byte
}

// Text is the checkpoint's body in the C2SP tlog-checkpoint format.
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root))
}

// ParseCheckpoint reads a checkpoint body.
func ParseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return Checkpoint{}, errors.New("ledger: a checkpoint is three lines: origin, size, root")
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("ledger: checkpoint size: %w", err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != sha256.Size {
		return Checkpoint{}, errors.New("ledger: checkpoint root is not a base64 SHA-256")
	}
	return Checkpoint{Origin: lines[0], Size: size, Root: root}, nil
}

// Sign signs a checkpoint as a note.
func Sign(c Checkpoint, signers ...note.Signer) (string, error) {
	b, err := note.Sign(&note.Note{Text: c.Text()}, signers...)
	return string(b), err
}

// Open checks a signed checkpoint against the log's key (and any witness
// keys given) and reads it. The note must carry the log's own signature.
func Open(signed string, log note.Verifier, witnesses ...note.Verifier) (Checkpoint, *note.Note, error) {
	n, err := note.Open([]byte(signed), note.VerifierList(append([]note.Verifier{log}, witnesses...)...))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("ledger: checkpoint signature: %w", err)
	}
	signedByLog := false
	for _, s := range n.Sigs {
		if s.Name == log.Name() && s.Hash == log.KeyHash() {
			signedByLog = true
		}
	}
	if !signedByLog {
		return Checkpoint{}, nil, errors.New("ledger: checkpoint is not signed by the log")
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	if c.Origin != log.Name() {
		return Checkpoint{}, nil, fmt.Errorf("ledger: checkpoint of %q, not of %q", c.Origin, log.Name())
	}
	return c, n, nil
}

// NewKey makes the log's signing key, named origin, from a 32-byte seed: the
// same seed gives the same key. It returns the signer key and the public
// verifier key, in note's text formats.
func NewKey(origin string, seed []byte) (skey, vkey string, err error) {
	if len(seed) < 32 {
		return "", "", errors.New("ledger: the key seed has fewer than 32 bytes")
	}
	return note.GenerateKey(bytes.NewReader(seed[:32]), origin)
}

// PublicKey derives the public verifier key of a note signer key.
func PublicKey(skey string) (string, error) {
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("ledger: not a note signer key (PRIVATE+KEY+name+hash+key)")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", errors.New("ledger: the signer key is not an Ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
}

// NewWitnessSigner reads a witness's Ed25519 note signer key (from
// NewKey) as a signer of timestamped cosignatures in the C2SP
// tlog-cosignature/v1 format: what witnesses of public logs (Go's checksum
// database, Sigstore) sign, so that a witness may watch flexwork with the
// same key and tools.
func NewWitnessSigner(skey string) (note.Signer, error) {
	return tnote.NewSignerForCosignatureV1(skey)
}

// NewWitnessVerifier reads a witness's public key, as an Ed25519 note key
// or its cosignature/v1 form, as a verifier of its cosignatures.
func NewWitnessVerifier(vkey string) (note.Verifier, error) {
	return tnote.NewVerifierForCosignatureV1(vkey)
}

// WitnessKey is a witness's public key in its cosignature/v1 form, the one
// whose key hash names its signature lines.
func WitnessKey(vkey string) (string, error) { return tnote.VKeyToCosignatureV1(vkey) }

// CosignedAt is when a witness says it checked the checkpoint (the
// timestamp inside a cosignature/v1 signature).
func CosignedAt(sig note.Signature) (time.Time, error) { return tnote.CoSigV1Timestamp(sig) }

// Cosign adds a witness's signature to a signed checkpoint and returns the
// note with it, to send to the log. The witness signs with
// NewWitnessSigner.
func Cosign(signed string, log note.Verifier, witness note.Signer) (string, error) {
	_, n, err := Open(signed, log)
	if err != nil {
		return "", err
	}
	b, err := note.Sign(n, witness)
	return string(b), err
}

// Cosignatures opens a note a witness returned for checkpoint text and
// returns the signatures it carries that the witnesses' keys verify.
func Cosignatures(cosigned, text string, witnesses []note.Verifier) ([]note.Signature, error) {
	if len(witnesses) == 0 {
		return nil, errors.New("ledger: no witness keys are configured")
	}
	n, err := note.Open([]byte(cosigned), note.VerifierList(witnesses...))
	if err != nil {
		return nil, fmt.Errorf("ledger: cosignature: %w", err)
	}
	if n.Text != text {
		return nil, errors.New("ledger: the cosigned note is not this checkpoint")
	}
	return n.Sigs, nil
}

// WithSignatures appends signature lines to a signed note (each once).
func WithSignatures(signed string, sigs []note.Signature) string {
	for _, s := range sigs {
		line := "— " + s.Name + " " + s.Base64 + "\n"
		if !strings.Contains(signed, line) {
			signed += line
		}
	}
	return signed
}
