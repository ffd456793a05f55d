package array

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

type npyWant struct {
	Shape   []int              `json:"shape"`
	Bits    []string           `json:"bits"`
	Error   string             `json:"error"`
	Members map[string]npyWant `json:"members"`
}

func loadWant(t *testing.T) map[string]npyWant {
	t.Helper()
	b, err := os.ReadFile("testdata/npy/want.json")
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Files map[string]npyWant `json:"files"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Files) < 29 {
		t.Fatalf("want.json lists %d files", len(w.Files))
	}
	return w.Files
}

func checkWant(t *testing.T, name string, a *Array, w npyWant) {
	t.Helper()
	if !equalInts(a.Shape(), w.Shape) {
		t.Errorf("%s: shape %v, want %v", name, a.Shape(), w.Shape)
		return
	}
	if !a.IsContiguous() {
		t.Errorf("%s: not contiguous", name)
	}
	got := a.Values()
	for i, h := range w.Bits {
		b, _ := hex.DecodeString(h)
		want := binary.LittleEndian.Uint64(b)
		if g := math.Float64bits(got[i]); g != want && !(math.IsNaN(got[i]) && math.IsNaN(math.Float64frombits(want))) {
			t.Errorf("%s[%d] = %v (%#x), want %v (%#x)", name, i, got[i], g, math.Float64frombits(want), want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestNPYFromNumpy reads every file numpy wrote (testdata/npy/make.py):
// byte orders, C and Fortran order, versions 1.0–3.0, every convertible
// dtype, and the dtypes that must be refused.
func TestNPYFromNumpy(t *testing.T) {
	for name, w := range loadWant(t) {
		path := filepath.Join("testdata/npy", name)
		if strings.HasSuffix(name, ".npz") {
			m, err := LoadNPZ(path)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if len(m) != len(w.Members) {
				t.Errorf("%s: %d members, want %d", name, len(m), len(w.Members))
			}
			for k, mw := range w.Members {
				if m[k] == nil {
					t.Errorf("%s: no member %q", name, k)
					continue
				}
				checkWant(t, name+":"+k, m[k], mw)
			}
			continue
		}
		a, err := LoadNPY(path)
		if w.Error != "" {
			if a != nil || !errors.Is(err, ErrDType) {
				t.Errorf("%s: got %v, %v; want ErrDType", name, a, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkWant(t, name, a, w)
		// The same through a plain reader that cannot tell its length.
		b, _ := os.ReadFile(path)
		a2, err := ReadNPY(iotest.HalfReader(bytes.NewBuffer(b)))
		if err != nil {
			t.Errorf("%s via ReadNPY: %v", name, err)
			continue
		}
		checkWant(t, name+" via ReadNPY", a2, w)
	}
}

// TestWriteNPYMatchesNumpy: what WriteNPY writes is byte for byte what
// numpy.save wrote for the same array.
func TestWriteNPYMatchesNumpy(t *testing.T) {
	for _, name := range []string{"f8_le.npy", "f8_c_2d.npy", "f8_0d.npy", "f8_empty.npy"} {
		want, err := os.ReadFile(filepath.Join("testdata/npy", name))
		if err != nil {
			t.Fatal(err)
		}
		a, err := ReadNPY(bytes.NewReader(want))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := a.WriteNPY(&buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: WriteNPY differs from numpy's file\n got %q\nwant %q", name, buf.Bytes()[:min(buf.Len(), 128)], want[:min(len(want), 128)])
		}
		// A strided view is written in its logical order.
		if a.Ndim() == 2 {
			tr := a.Transpose()
			buf.Reset()
			if err := tr.WriteNPY(&buf); err != nil {
				t.Fatal(err)
			}
			b, err := ReadNPY(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if !SameShape(b, tr) || !equalFloats(b.Values(), tr.Values()) {
				t.Errorf("%s transposed: round trip gives %v, want %v", name, b, tr)
			}
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestNPYRoundTripFiles(t *testing.T) {
	dir := t.TempDir()
	a := New(3, 5, 2)
	for i := range a.data {
		a.data[i] = float64(i)*1.25 - 7
	}
	a.data[3] = math.Copysign(0, -1)
	a.data[4] = math.NaN()
	for _, v := range []*Array{a, a.Step(1, 0, 5, -2), a.Transpose(2, 0, 1), New(), New(0, 4)} {
		p := filepath.Join(dir, "x.npy")
		if err := SaveNPY(p, v); err != nil {
			t.Fatal(err)
		}
		b, err := LoadNPY(p)
		if err != nil {
			t.Fatal(err)
		}
		if !SameShape(b, v) || !equalFloats(b.Values(), v.Values()) {
			t.Errorf("round trip of %v: %v", v.Shape(), b)
		}
	}
	p := filepath.Join(dir, "x.npz")
	if err := SaveNPZ(p, map[string]*Array{"a": a, "col": a.Index(2, 1)}); err != nil {
		t.Fatal(err)
	}
	m, err := LoadNPZ(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || !equalFloats(m["a"].Values(), a.Values()) || !equalFloats(m["col"].Values(), a.Index(2, 1).Values()) {
		t.Errorf("npz round trip: %v", m)
	}
}

// TestNPYBadFiles: malformed headers, short data and lying shapes are
// ErrFormat errors with no array and no giant allocation.
func TestNPYBadFiles(t *testing.T) {
	good, err := os.ReadFile("testdata/npy/f8_c_2d.npy")
	if err != nil {
		t.Fatal(err)
	}
	header := func(dict string) []byte {
		b := []byte(npyMagic + "\x01\x00")
		b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)))
		return append(b, dict...)
	}
	cases := map[string][]byte{
		"empty":       nil,
		"magic":       []byte("\x93NUMPZ\x01\x00\x10\x00"),
		"version":     []byte(npyMagic + "\x04\x00\x00\x00"),
		"short head":  good[:20],
		"short data":  good[:len(good)-1],
		"no descr":    header("{'fortran_order': False, 'shape': (2,), }\n"),
		"bad shape":   header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 'a'), }\n"),
		"neg shape":   header("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }\n"),
		"huge shape":  header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 1000000000), }\n"),
		"lying shape": header("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }\n"),
		"not a dict":  header("[1, 2]\n"),
		"unclosed":    header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,\n"),
		"trailing":    header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } x\n"),
		"bad order":   header("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }\n"),
	}
	for name, b := range cases {
		for _, r := range []io.Reader{bytes.NewReader(b), iotest.OneByteReader(bytes.NewReader(b))} {
			a, err := ReadNPY(r)
			if a != nil || !errors.Is(err, ErrFormat) {
				t.Errorf("%s: got %v, %v; want ErrFormat", name, a, err)
			}
		}
	}
	if a, err := ReadNPY(bytes.NewReader(header("{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }\n"))); a != nil || !errors.Is(err, ErrDType) {
		t.Errorf("complex: %v, %v", a, err)
	}
	if _, err := LoadNPY(filepath.Join(t.TempDir(), "missing.npy")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := LoadNPZ("testdata/npy/f8_le.npy"); !errors.Is(err, ErrFormat) {
		t.Errorf("npy as npz: %v", err)
	}
	var nilArr *Array
	if err := nilArr.WriteNPY(io.Discard); !errors.Is(err, ErrNil) {
		t.Errorf("nil WriteNPY: %v", err)
	}
}

// FuzzReadNPY: no input panics, hangs or allocates beyond its promise;
// whatever reads back writes out and reads back the same.
func FuzzReadNPY(f *testing.F) {
	for _, name := range []string{"f8_le.npy", "f8_f_3d_be.npy", "i2.npy", "f2.npy", "bool.npy", "struct.npy"} {
		b, err := os.ReadFile(filepath.Join("testdata/npy", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ReadNPY(bytes.NewReader(b))
		if err != nil {
			if a != nil || !(errors.Is(err, ErrFormat) || errors.Is(err, ErrDType)) {
				t.Fatalf("error %v with array %v", err, a)
			}
			return
		}
		var buf bytes.Buffer
		if err := a.WriteNPY(&buf); err != nil {
			t.Fatal(err)
		}
		c, err := ReadNPY(&buf)
		if err != nil || !SameShape(a, c) || !equalFloats(a.Values(), c.Values()) {
			t.Fatalf("round trip: %v, %v", c, err)
		}
	})
}

func BenchmarkLoadNPY(b *testing.B) {
	for _, mb := range []int{1, 100} {
		n := mb << 17
		p := filepath.Join(b.TempDir(), "x.npy")
		a := New(n)
		for i := range a.data {
			a.data[i] = float64(i)
		}
		if err := SaveNPY(p, a); err != nil {
			b.Fatal(err)
		}
		b.Run("MB="+itoa(mb)+"/LoadNPY", func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				if _, err := LoadNPY(p); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("MB="+itoa(mb)+"/raw", func(b *testing.B) {
			// The floor: the file's bytes read into a fresh slice.
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				f, err := os.Open(p)
				if err != nil {
					b.Fatal(err)
				}
				buf := make([]byte, 8*n+128)
				if _, err := io.ReadFull(f, buf); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
