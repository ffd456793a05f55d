package mathtab

import (
	"bytes"
	"os"
	"testing"

	"github.com/blockwise/blockwise/internal/bigmath"
)

// TestTablesGenerated checks that tables.go is exactly what gen.go writes.
func TestTablesGenerated(t *testing.T) {
	have, err := os.ReadFile("tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, bigmath.MathTables()) {
		t.Fatal("tables.go differs from what internal/bigmath generates: run go generate ./internal/mathtab")
	}
}
