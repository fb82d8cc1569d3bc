// Package witness is what a third party — a union, an industry association,
// a regulator — runs against a flexwork log: it fetches the newest signed
// checkpoint, checks that the log only grew since the last checkpoint it
// saw (a consistency proof), and co-signs it. A log rewritten behind its
// back no longer extends what the witness holds, and the witness says so.
package witness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"flexwork/ledger"
)

// ErrRewritten marks a log that does not extend the checkpoint the witness
// holds: the evidence is that checkpoint and the new one, both signed.
var ErrRewritten = errors.New("the log was rewritten")

// Witness watches one log.
type Witness struct {
	BaseURL string // the server, e.g. https://api.flexwork.example
	Log     note.Verifier
	Signer  note.Signer
	HTTP    *http.Client
}

// Run witnesses the log once. last is the signed checkpoint seen before
// ("" the first time); it returns the one to keep for next time. On
// ErrRewritten, keep last: it and the returned checkpoint are the proof.
func (w Witness) Run(ctx context.Context, last string) (string, error) {
	signed, err := w.get(ctx, "/ledger/checkpoint")
	if err != nil {
		return last, err
	}
	cur, _, err := ledger.Open(signed, w.Log)
	if err != nil {
		return last, err
	}
	if last != "" {
		prev, _, err := ledger.Open(last, w.Log)
		if err != nil {
			return last, fmt.Errorf("the kept checkpoint: %w", err)
		}
		if cur.Size < prev.Size {
			return signed, fmt.Errorf("%w: size %d after %d", ErrRewritten, cur.Size, prev.Size)
		}
		var proof [][]byte
		if cur.Size > prev.Size {
			body, err := w.get(ctx, fmt.Sprintf("/ledger/consistency?from=%d&to=%d", prev.Size, cur.Size))
			if err != nil {
				return last, err
			}
			var out struct{ Proof [][]byte }
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				return last, fmt.Errorf("consistency proof: %w", err)
			}
			proof = out.Proof
		}
		if err := ledger.VerifyConsistency(prev, cur, proof); err != nil {
			return signed, fmt.Errorf("%w: %v", ErrRewritten, err)
		}
	}
	cosigned, err := ledger.Cosign(signed, w.Log, w.Signer)
	if err != nil {
		return last, err
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, w.BaseURL+"/ledger/cosignature", strings.NewReader(cosigned))
	resp, err := w.client().Do(req)
	if err != nil {
		return last, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return last, fmt.Errorf("the log refused the cosignature: %d %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	return signed, nil
}

func (w Witness) client() *http.Client {
	if w.HTTP != nil {
		return w.HTTP
	}
	return http.DefaultClient
}

func (w Witness) get(ctx context.Context, path string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, w.BaseURL+path, nil)
	resp, err := w.client().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, bytes.TrimSpace(b))
	}
	return string(b), nil
}
