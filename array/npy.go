package array

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unsafe"
)

// The .npy format (numpy's lib/format.py): the magic "\x93NUMPY", a major
// and a minor version byte, the header length (2 bytes little-endian in
// version 1.0, 4 bytes in 2.0 and 3.0), then the header — a Python dict
// literal {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// padded with spaces and a newline so the data starts on a 64-byte boundary
// — then the elements. Version 3.0 differs from 2.0 only in allowing UTF-8
// in the header.
//
// github.com/sbinet/npyio, the gonum ecosystem's codec, was the first
// choice; the version the module proxy serves (v0.6.0) rejects format 3.0
// files, and its reader decodes through reflection into a Go slice that
// would then be copied into aligned storage. This codec reads float64 data
// straight into the array's storage.

const npyMagic = "\x93NUMPY"

// maxHeader bounds the header we accept: numpy writes a few hundred bytes;
// 64-dimensional shapes need well under 4 KiB.
const maxHeader = 1 << 20

// nativeLittle reports whether this machine stores float64 little-endian,
// so that '<f8' data is read and written without conversion.
var nativeLittle = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// dtype is a decoded 'descr': the element size, kind ('f', 'i', 'u', 'b')
// and byte order.
type dtype struct {
	kind  byte
	size  int
	big   bool
	descr string
}

func parseDescr(s string) (dtype, error) {
	if len(s) < 2 {
		return dtype{}, fmt.Errorf("%w: descr %q", ErrDType, s)
	}
	d := dtype{descr: s}
	switch s[0] {
	case '<', '|':
	case '=':
		d.big = !nativeLittle
	case '>':
		d.big = true
	default:
		return dtype{}, fmt.Errorf("%w: descr %q", ErrDType, s)
	}
	d.kind = s[1]
	size, err := strconv.Atoi(s[2:])
	if err != nil {
		return dtype{}, fmt.Errorf("%w: descr %q", ErrDType, s)
	}
	d.size = size
	ok := false
	switch d.kind {
	case 'f':
		ok = size == 2 || size == 4 || size == 8
	case 'i', 'u':
		ok = size == 1 || size == 2 || size == 4 || size == 8
	case 'b':
		ok = size == 1
	}
	if !ok {
		return dtype{}, fmt.Errorf("%w: descr %q (float64 can hold floats, integers and bools)", ErrDType, s)
	}
	return d, nil
}

// npyHeader is what a header says.
type npyHeader struct {
	dt      dtype
	fortran bool
	shape   []int
}

// readHeader reads the magic, version and header of a .npy stream and
// returns the decoded header and how many bytes it took.
func readHeader(r io.Reader) (npyHeader, int64, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:8]); err != nil {
		return npyHeader{}, 0, fmt.Errorf("%w: reading the magic string: %v", ErrFormat, err)
	}
	if string(pre[:6]) != npyMagic {
		return npyHeader{}, 0, fmt.Errorf("%w: not a .npy file (magic %q)", ErrFormat, pre[:6])
	}
	major, minor := pre[6], pre[7]
	var hlen, used int
	switch major {
	case 1:
		if _, err := io.ReadFull(r, pre[8:10]); err != nil {
			return npyHeader{}, 0, fmt.Errorf("%w: reading the header length: %v", ErrFormat, err)
		}
		hlen, used = int(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		var l [4]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return npyHeader{}, 0, fmt.Errorf("%w: reading the header length: %v", ErrFormat, err)
		}
		hlen, used = int(binary.LittleEndian.Uint32(l[:])), 12
	default:
		return npyHeader{}, 0, fmt.Errorf("%w: format version %d.%d (1.0, 2.0 and 3.0 are known)", ErrFormat, major, minor)
	}
	if hlen > maxHeader {
		return npyHeader{}, 0, fmt.Errorf("%w: header of %d bytes", ErrFormat, hlen)
	}
	buf := make([]byte, hlen)
	if _, err := io.ReadFull(r, buf); err != nil {
		return npyHeader{}, 0, fmt.Errorf("%w: reading the header: %v", ErrFormat, err)
	}
	h, err := parseHeader(string(buf))
	return h, int64(used + hlen), err
}

func parseHeader(s string) (npyHeader, error) {
	p := &pyParser{s: s}
	v, err := p.value(0)
	if err == nil {
		p.space()
		if p.i != len(p.s) {
			err = p.errorf("trailing text")
		}
	}
	if err != nil {
		return npyHeader{}, fmt.Errorf("%w: header %q: %v", ErrFormat, s, err)
	}
	dict, ok := v.(map[string]any)
	if !ok {
		return npyHeader{}, fmt.Errorf("%w: header is not a dict: %q", ErrFormat, s)
	}
	var h npyHeader
	switch d := dict["descr"].(type) {
	case string:
		if h.dt, err = parseDescr(d); err != nil {
			return npyHeader{}, err
		}
	case []any:
		return npyHeader{}, fmt.Errorf("%w: structured descr %v", ErrDType, d)
	default:
		return npyHeader{}, fmt.Errorf("%w: header without a descr: %q", ErrFormat, s)
	}
	fo, ok := dict["fortran_order"].(bool)
	if !ok {
		return npyHeader{}, fmt.Errorf("%w: header without fortran_order: %q", ErrFormat, s)
	}
	h.fortran = fo
	sh, ok := dict["shape"].([]any)
	if !ok {
		return npyHeader{}, fmt.Errorf("%w: header without a shape tuple: %q", ErrFormat, s)
	}
	for _, d := range sh {
		n, ok := d.(int)
		if !ok {
			return npyHeader{}, fmt.Errorf("%w: shape %v", ErrFormat, sh)
		}
		h.shape = append(h.shape, n)
	}
	if _, err := sizeOf(h.shape); err != nil {
		return npyHeader{}, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return h, nil
}

// pyParser reads the Python literals a .npy header uses: dicts, tuples and
// lists, strings, True/False and integers.
type pyParser struct {
	s string
	i int
}

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at byte %d: "+format, append([]any{p.i}, args...)...)
}

func (p *pyParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyParser) value(depth int) (any, error) {
	if depth > MaxDims {
		return nil, p.errorf("nested too deeply")
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		m := map[string]any{}
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			k, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				return nil, p.errorf("dict key is not a string")
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, p.errorf("want ':'")
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			m[key] = v
			if err := p.sep('}'); err != nil {
				return nil, err
			}
		}
	case c == '(' || c == '[':
		end := byte(')')
		if c == '[' {
			end = ']'
		}
		p.i++
		var l []any
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == end {
				p.i++
				if l == nil {
					l = []any{}
				}
				return l, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			if err := p.sep(end); err != nil {
				return nil, err
			}
		}
	case c == '\'' || c == '"':
		j := strings.IndexByte(p.s[p.i+1:], c)
		if j < 0 {
			return nil, p.errorf("unterminated string")
		}
		v := p.s[p.i+1 : p.i+1+j]
		p.i += j + 2
		return v, nil
	case c >= '0' && c <= '9' || c == '-':
		j := p.i + 1
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		tok := p.s[p.i:j]
		if j < len(p.s) && p.s[j] == 'L' { // Python 2 longs
			j++
		}
		n, err := strconv.Atoi(tok)
		if err != nil {
			return nil, p.errorf("integer %q", tok)
		}
		p.i = j
		return n, nil
	case strings.HasPrefix(p.s[p.i:], "True"):
		p.i += 4
		return true, nil
	case strings.HasPrefix(p.s[p.i:], "False"):
		p.i += 5
		return false, nil
	}
	return nil, p.errorf("unexpected %q", p.s[p.i])
}

// sep consumes a ',' or peeks the closing bracket.
func (p *pyParser) sep(end byte) error {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ',' {
		p.i++
		return nil
	}
	if p.i < len(p.s) && p.s[p.i] == end {
		return nil
	}
	return p.errorf("want ',' or %q", end)
}

// sizer is a reader that knows how many bytes remain (bytes.Reader,
// strings.Reader, bytes.Buffer).
type sizer interface{ Len() int }

// ReadNPY reads one array in numpy's .npy format from r, leaving r just past
// its data. Float64 data in either byte order is read straight into the
// array's aligned storage; float16, float32, signed and unsigned integer and
// bool data are converted to float64 (integers beyond 2^53 round to the
// nearest float64, as numpy's astype(float64) does; bools are 0 and 1).
// Fortran-order files come back in C (row-major) order. Format versions 1.0,
// 2.0 and 3.0 are read.
//
// A file that is not .npy, or is cut short, gives an error wrapping
// ErrFormat; complex, object, string, datetime and structured dtypes give
// one wrapping ErrDType. On error no array is returned. A header that
// promises more elements than r holds is an error, not an allocation of
// that size, when r can tell how much it holds (files, bytes.Reader, …);
// other readers are read in pieces, so memory follows the bytes present.
func ReadNPY(r io.Reader) (*Array, error) {
	a, err := readNPY(r, remaining(r))
	if err != nil {
		return nil, fmt.Errorf("array.ReadNPY: %w", err)
	}
	return a, nil
}

// remaining returns how many bytes r still holds, or -1 if it cannot tell.
func remaining(r io.Reader) int64 {
	switch v := r.(type) {
	case sizer:
		return int64(v.Len())
	case *os.File:
		st, err := v.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		pos, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return st.Size() - pos
	}
	return -1
}

// pieceBytes is the size of the pieces an unknown-length reader is read in
// once the data passes it.
const pieceBytes = 64 << 20

func readNPY(r io.Reader, avail int64) (*Array, error) {
	h, used, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	n, _ := sizeOf(h.shape)
	need := int64(n) * int64(h.dt.size) // n ≤ MaxLen, size ≤ 8: no overflow
	if avail >= 0 && avail-used < need {
		return nil, fmt.Errorf("%w: the header promises %d bytes of data, %d remain", ErrFormat, need, avail-used)
	}
	shape := h.shape
	if h.fortran {
		shape = reversed(h.shape)
	}
	var a *Array
	if avail >= 0 || need <= pieceBytes {
		a = New(shape...)
		if err := readElems(r, a.data, h.dt); err != nil {
			return nil, err
		}
	} else {
		// Unknown length: read pieces first, so a lying header costs
		// only the bytes that are really there.
		var pieces [][]float64
		for left := n; left > 0; {
			m := min(left, pieceBytes/8)
			p := make([]float64, m)
			if err := readElems(r, p, h.dt); err != nil {
				return nil, err
			}
			pieces = append(pieces, p)
			left -= m
		}
		a = New(shape...)
		at := 0
		for _, p := range pieces {
			at += copy(a.data[at:], p)
		}
	}
	if h.fortran {
		a = a.Transpose().Clone()
	}
	return a, nil
}

func reversed(s []int) []int {
	out := make([]int, len(s))
	for k, d := range s {
		out[len(s)-1-k] = d
	}
	return out
}

// readElems fills dst with len(dst) elements of type dt from r.
func readElems(r io.Reader, dst []float64, dt dtype) error {
	if len(dst) == 0 {
		return nil
	}
	if dt.kind == 'f' && dt.size == 8 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), 8*len(dst))
		if _, err := io.ReadFull(r, b); err != nil {
			return short(err)
		}
		if dt.big == nativeLittle {
			for i, v := range dst {
				dst[i] = math.Float64frombits(bswap64(math.Float64bits(v)))
			}
		}
		return nil
	}
	var buf [8192]byte
	per := len(buf) / dt.size
	for i := 0; i < len(dst); {
		m := min(per, len(dst)-i)
		b := buf[:m*dt.size]
		if _, err := io.ReadFull(r, b); err != nil {
			return short(err)
		}
		convert(dst[i:i+m], b, dt)
		i += m
	}
	return nil
}

func short(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w: reading the data: %w", ErrFormat, err)
}

func bswap64(x uint64) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], x)
	return binary.BigEndian.Uint64(b[:])
}

// convert decodes len(dst) elements of type dt from b.
func convert(dst []float64, b []byte, dt dtype) {
	var bo binary.ByteOrder = binary.LittleEndian
	if dt.big {
		bo = binary.BigEndian
	}
	s := dt.size
	for i := range dst {
		e := b[i*s : i*s+s]
		var v float64
		switch dt.kind {
		case 'f':
			switch s {
			case 2:
				v = half(bo.Uint16(e))
			case 4:
				v = float64(math.Float32frombits(bo.Uint32(e)))
			case 8:
				v = math.Float64frombits(bo.Uint64(e))
			}
		case 'i':
			switch s {
			case 1:
				v = float64(int8(e[0]))
			case 2:
				v = float64(int16(bo.Uint16(e)))
			case 4:
				v = float64(int32(bo.Uint32(e)))
			case 8:
				v = float64(int64(bo.Uint64(e)))
			}
		case 'u':
			switch s {
			case 1:
				v = float64(e[0])
			case 2:
				v = float64(bo.Uint16(e))
			case 4:
				v = float64(bo.Uint32(e))
			case 8:
				v = float64(bo.Uint64(e))
			}
		case 'b':
			if e[0] != 0 {
				v = 1
			}
		}
		dst[i] = v
	}
}

// half converts an IEEE binary16 value to float64 (exactly: every half is a
// float64).
func half(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// npyHeaderText returns the padded header (magic to newline) for a C-order
// little-endian float64 array of the given shape.
func npyHeaderText(shape []int) []byte {
	var sh strings.Builder
	sh.WriteByte('(')
	for k, d := range shape {
		if k > 0 {
			sh.WriteString(", ")
		}
		sh.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		sh.WriteByte(',')
	}
	sh.WriteByte(')')
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': " + sh.String() + ", }"
	// Version 1.0 when the header length fits in 2 bytes, else 2.0; pad
	// with spaces so the data start on a 64-byte boundary.
	pre := 10
	if len(dict)+1+pre+63 > 0xffff {
		pre = 12
	}
	total := (pre + len(dict) + 1 + 63) / 64 * 64
	hlen := total - pre
	out := make([]byte, 0, total)
	out = append(out, npyMagic...)
	if pre == 10 {
		out = append(out, 1, 0)
		out = binary.LittleEndian.AppendUint16(out, uint16(hlen))
	} else {
		out = append(out, 2, 0)
		out = binary.LittleEndian.AppendUint32(out, uint32(hlen))
	}
	out = append(out, dict...)
	for len(out) < total-1 {
		out = append(out, ' ')
	}
	return append(out, '\n')
}

// WriteNPY writes a to w in numpy's .npy format: little-endian float64 in C
// order, format version 1.0 (2.0 for headers past 64 KiB, as numpy does),
// the data starting on a 64-byte boundary. A strided view is written in its
// logical (row-major) order; contiguous storage is written in one call
// without a copy.
func (a *Array) WriteNPY(w io.Writer) error {
	if a == nil {
		return fmt.Errorf("array.WriteNPY: %w", ErrNil)
	}
	if _, err := w.Write(npyHeaderText(a.shape)); err != nil {
		return fmt.Errorf("array.WriteNPY: %w", err)
	}
	if err := a.writeData(w); err != nil {
		return fmt.Errorf("array.WriteNPY: %w", err)
	}
	return nil
}

func (a *Array) writeData(w io.Writer) error {
	if d := a.Data(); d != nil && nativeLittle {
		if len(d) == 0 {
			return nil
		}
		_, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(&d[0])), 8*len(d)))
		return err
	}
	const chunk = 4096
	var vals [chunk]float64
	var buf [8 * chunk]byte
	m := 0
	var err error
	flush := func() {
		for i, v := range vals[:m] {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
		}
		if err == nil {
			_, err = w.Write(buf[:8*m])
		}
		m = 0
	}
	a.each(func(p int) {
		vals[m] = a.data[p]
		if m++; m == chunk {
			flush()
		}
	})
	flush()
	return err
}

// LoadNPY reads the .npy file at path (see ReadNPY).
func LoadNPY(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("array.LoadNPY: %w", err)
	}
	defer f.Close()
	a, err := readNPY(f, remaining(f))
	if err != nil {
		return nil, fmt.Errorf("array.LoadNPY: %s: %w", path, err)
	}
	return a, nil
}

// SaveNPY writes a to the file at path in .npy format (see WriteNPY),
// creating or truncating it.
func SaveNPY(path string, a *Array) error {
	if a == nil {
		return fmt.Errorf("array.SaveNPY: %w", ErrNil)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("array.SaveNPY: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = a.WriteNPY(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("array.SaveNPY: %s: %w", path, err)
	}
	return nil
}
