package graph

import (
	"encoding/base64"
	"encoding/json"

	"flexwork/graph/model"
	"flexwork/ledger"
)

// receiptModel is a receipt as the API shows it, with its JSON to keep.
func receiptModel(r *ledger.Receipt, err error) (*model.LedgerReceipt, error) {
	if r == nil || err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return &model.LedgerReceipt{JSON: string(b), Index: int(r.Leaf.Index), Size: int(r.Size), Kind: r.Leaf.Kind,
		Checkpoint: r.Checkpoint}, nil
}

// receiptModels writes a list of receipts as the API shows them.
func receiptModels(rs []*ledger.Receipt, err error) ([]*model.LedgerReceipt, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*model.LedgerReceipt, len(rs))
	for i, r := range rs {
		if out[i], err = receiptModel(r, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// base64s writes proof hashes as the API shows them.
func base64s(hs [][]byte, err error) ([]string, error) {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h)
	}
	return out, err
}
