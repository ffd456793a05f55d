//go:build ignore

// gen writes tables.go, the constants and tables of package fmath, from
// internal/bigmath. Run `go generate ./fmath`; the output is deterministic,
// committed, and checked by TestTablesGenerated.
package main

import (
	"fmt"
	"os"

	"github.com/blockwise/blockwise/internal/bigmath"
)

func main() {
	if err := os.WriteFile("tables.go", bigmath.FmathTables(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
