package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blockwise/blockwise/array"
)

// TestRollingStagedGroups runs sums and variances over series whose first
// and last block pairs, and the last blocks of segments, go through staged
// vector groups (rolling_stage.go): every ISA must give the scalar loop's
// bits (the "go" ISA runs no vector kernel), for trailing and centered
// windows, PadEdge, MinPeriods, windows longer than the series and missing
// values at the ends.
func TestRollingStagedGroups(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	base := make([]float64, 17_003)
	for i := range base {
		base[i] = 1e3 + r.NormFloat64()
	}
	holes := append([]float64(nil), base...)
	for _, i := range []int{0, 1, 5, 998, 1000, 8000, 9000, 16_999, 17_002} {
		holes[i] = math.NaN()
	}
	opts := func(w int) [][]RollingOption {
		return [][]RollingOption{
			nil,
			{MinPeriods(1)},
			{MinPeriods(w/3 + 1)},
			{Centered()},
			{Centered(), MinPeriods(1)},
			{PadEdge()},
			{Centered(), PadEdge(), MinPeriods(1)},
		}
	}
	kinds := kindFuncs[:4] // sum, mean, var, std
	c := 0
	for name, data := range map[string][]float64{"clean": base, "holes": holes} {
		for _, n := range []int{1, 3, 20, 21, 97, 999, 1000, 1001, 2500, 8001, 9001, 17_003} {
			for _, w := range []int{1, 2, 7, 20, 333, 1000, 3000} {
				for oi, o := range opts(w) {
					for _, k := range kinds {
						if c++; raceThin(c) {
							continue
						}
						// Clipped: a read past the series must fault.
						src := array.Vec(slices.Clip(data[:n]))
						sameOnISAs(t, fmt.Sprintf("%s n=%d w=%d opts#%d %s", name, n, w, oi, k.name), func() ([]float64, error) {
							dst := array.New(n)
							err := k.f(std(), dst, src, w, o...)
							return dst.Values(), err
						})
					}
				}
			}
		}
	}
}
