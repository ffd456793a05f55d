//go:build ignore

// gen writes tables.go, the constants and tables of the elementary
// functions, from internal/bigmath. Run `go generate ./internal/mathtab`;
// the output is deterministic, committed, and checked by
// TestTablesGenerated.
package main

import (
	"fmt"
	"os"

	"github.com/blockwise/blockwise/internal/bigmath"
)

func main() {
	if err := os.WriteFile("tables.go", bigmath.MathTables(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
