package asm

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestNoImplicitFMA compiles the module's Go code for GOAMD64=v3, where the
// compiler fuses x*y + z into one rounding unless the product is converted
// explicitly (float64(x*y) + z), and checks that every fused multiply-add
// it emits comes from an explicit math.FMA call. A fused twin would give
// different bits from the assembly it mirrors, silently.
func TestNoImplicitFMA(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the module")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// The build below reads the sources in a child process, which the test
	// cache does not see; stat every .go file here so that editing any of
	// them invalidates a cached pass.
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fma := regexp.MustCompile(`\((/[^:()]+\.go):(\d+)\)\s+VF(N?)M(ADD|SUB)\d*[SP][DS]`)
	for _, tags := range []string{"", "noasm"} {
		cmd := exec.Command(gobin, "build", "-tags", tags, "-o", os.DevNull,
			"-gcflags=github.com/blockwise/blockwise/...=-S", "./...")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOAMD64=v3", "GOARCH=amd64", "GOFLAGS=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go build (tags %q): %v\n%s", tags, err, out)
		}
		sites := 0
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			m := fma.FindStringSubmatch(sc.Text())
			if m == nil || !strings.HasPrefix(m[1], root) {
				continue
			}
			sites++
			line, _ := strconv.Atoi(m[2])
			src, err := os.ReadFile(m[1])
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(src), "\n")
			if line < 1 || line > len(lines) {
				t.Fatalf("%s:%d out of range", m[1], line)
			}
			if code := lines[line-1]; !strings.Contains(code, "math.FMA(") && !strings.Contains(code, "//fma:ok") {
				t.Errorf("tags %q: implicit fused multiply-add at %s:%d: %s", tags, strings.TrimPrefix(m[1], root+"/"), line, strings.TrimSpace(code))
			}
		}
		if sites == 0 {
			t.Errorf("tags %q: no fused multiply-add found at all; the listing format may have changed", tags)
		}
	}
}
