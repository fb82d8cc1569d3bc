// Command rewrite makes gqlgen's generated executor marshal lists of
// objects with serial.MarshalSlice instead of a goroutine per element (see
// package serial for why). It runs after gqlgen in `go generate`, so the
// executor is still only ever regenerated; TestGeneratedCodeIsFresh checks
// the result like any other generated file.
//
//	go run ./graph/serial/rewrite graph/generated/generated.go
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
)

func main() {
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	const from, to = "graphql.MarshalSliceConcurrently(", "serial.MarshalSlice("
	if !bytes.Contains(src, []byte(from)) {
		return nil // nothing to do, or done already
	}
	out := bytes.ReplaceAll(src, []byte(from), []byte(to))
	imp := []byte("import (\n")
	i := bytes.Index(out, imp)
	if i < 0 {
		return fmt.Errorf("%s: no import block", path)
	}
	out = append(out[:i+len(imp)], append([]byte("\t\"flexwork/graph/serial\"\n"), out[i+len(imp):]...)...)
	if out, err = format.Source(out); err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
