// Package leaktest wraps goleak for this module's tests: it fails a test
// binary that leaves goroutines behind, except the workers of
// sched.Default(), which live for the whole process by design.
package leaktest

import (
	"testing"

	"go.uber.org/goleak"
)

// Options are the goleak options every package of the module uses.
func Options() []goleak.Option {
	return []goleak.Option{
		goleak.IgnoreAnyFunction("github.com/blockwise/blockwise/sched.(*worker).loopDefault"),
	}
}

// VerifyTestMain runs the tests, then fails if goroutines leaked.
func VerifyTestMain(m *testing.M) { goleak.VerifyTestMain(m, Options()...) }
