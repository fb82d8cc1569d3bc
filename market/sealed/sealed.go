// Package sealed keeps sensitive values (identity numbers) encrypted at
// rest by envelope encryption: each value is sealed with a data key of its
// own (AES-256-GCM), and the data key is stored wrapped by a master key
// that never leaves configuration. The value is bound to where it is
// stored (the additional data names its row), so a sealed value copied to
// another row does not open. Master keys are told apart by an ID derived
// from them, so an old key can still open what it sealed after a new one
// takes over.
package sealed

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Box seals with its first master key and opens with any of them.
type Box struct{ keys []master }

type master struct {
	id   [8]byte
	aead cipher.AEAD
}

// version marks the format: version, key ID, wrapped data key, sealed value.
const version = 1

// New returns a box over 32-byte master keys, the current one first.
func New(current []byte, older ...[]byte) (*Box, error) {
	b := &Box{}
	for _, k := range append([][]byte{current}, older...) {
		if len(k) != 32 {
			return nil, fmt.Errorf("sealed: a master key is 32 bytes, not %d", len(k))
		}
		aead, err := gcm(k)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(append([]byte("flexwork sealed key id\x00"), k...))
		var id [8]byte
		copy(id[:], sum[:8])
		b.keys = append(b.keys, master{id: id, aead: aead})
	}
	return b, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts value for the row where says (such as "real_names:usr_…").
func (b *Box) Seal(value []byte, where string) ([]byte, error) {
	dk := make([]byte, 32)
	if _, err := rand.Read(dk); err != nil {
		return nil, err
	}
	data, err := gcm(dk)
	if err != nil {
		return nil, err
	}
	k := b.keys[0]
	out := append([]byte{version}, k.id[:]...)
	out = seal(k.aead, out, dk, k.id[:])
	return seal(data, out, value, []byte(where)), nil
}

// seal appends a fresh nonce and the sealed plain text to dst.
func seal(a cipher.AEAD, dst, plain, ad []byte) []byte {
	nonce := make([]byte, a.NonceSize())
	_, _ = rand.Read(nonce)
	dst = append(dst, nonce...)
	return a.Seal(dst, nonce, plain, ad)
}

// ErrSealed is a value that does not open: another row's, tampered with,
// or sealed under a master key this box does not hold.
var ErrSealed = errors.New("sealed: the value does not open")

// Open decrypts what Seal sealed for where.
func (b *Box) Open(sealed []byte, where string) ([]byte, error) {
	if len(sealed) < 9 || sealed[0] != version {
		return nil, ErrSealed
	}
	id, rest := sealed[1:9], sealed[9:]
	for _, k := range b.keys {
		if !bytes.Equal(k.id[:], id) {
			continue
		}
		n := k.aead.NonceSize()
		wrapped := n + 32 + k.aead.Overhead()
		if len(rest) < wrapped {
			return nil, ErrSealed
		}
		dk, err := k.aead.Open(nil, rest[:n], rest[n:wrapped], id)
		if err != nil {
			return nil, ErrSealed
		}
		data, err := gcm(dk)
		if err != nil {
			return nil, err
		}
		rest = rest[wrapped:]
		if len(rest) < data.NonceSize() {
			return nil, ErrSealed
		}
		plain, err := data.Open(nil, rest[:data.NonceSize()], rest[data.NonceSize():], []byte(where))
		if err != nil {
			return nil, ErrSealed
		}
		return plain, nil
	}
	return nil, ErrSealed
}
