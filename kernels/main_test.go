package kernels

import (
	"testing"

	"github.com/blockwise/blockwise/internal/leaktest"
)

func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }
