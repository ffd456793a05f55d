package main

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed peers/peers.py
var peersScript []byte

const python = "/usr/bin/python3"

const installHint = "apt-get install -y python3-numpy python3-numexpr python3-bottleneck python3-pandas"

// peerProc is the running peers.py.
type peerProc struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	libs map[string]string
	dir  string
}

// startPeers starts peers.py, or returns nil after printing one line that
// says what is missing and how to install it.
func startPeers() *peerProc {
	if _, err := os.Stat(python); err != nil {
		fmt.Printf("peers: %s not found — skipping peers (install: %s)\n", python, installHint)
		return nil
	}
	dir, err := os.MkdirTemp("", "blockwise-peers")
	if err != nil {
		fmt.Println("peers:", err)
		return nil
	}
	script := filepath.Join(dir, "peers.py")
	if err := os.WriteFile(script, peersScript, 0o644); err != nil {
		fmt.Println("peers:", err)
		return nil
	}
	cmd := exec.Command(python, script)
	cmd.Stderr = os.Stderr
	in, _ := cmd.StdinPipe()
	outPipe, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		fmt.Println("peers:", err)
		return nil
	}
	p := &peerProc{cmd: cmd, in: in, out: bufio.NewScanner(outPipe), dir: dir}
	p.out.Buffer(make([]byte, 1<<16), 1<<20)
	var hello struct {
		Libs map[string]string `json:"libs"`
	}
	if !p.out.Scan() || json.Unmarshal(p.out.Bytes(), &hello) != nil {
		fmt.Println("peers: peers.py did not start — skipping peers")
		p.close()
		return nil
	}
	p.libs = hello.Libs
	var missing []string
	for _, l := range []string{"numpy", "numexpr", "bottleneck", "pandas"} {
		if _, ok := p.libs[l]; !ok {
			missing = append(missing, l)
		}
	}
	if len(missing) > 0 {
		fmt.Printf("peers: %s missing — those columns are skipped (install: %s)\n", strings.Join(missing, ", "), installHint)
	}
	if _, ok := p.libs["numpy"]; !ok {
		p.close()
		return nil
	}
	return p
}

// measure asks for one peer timing: ns per call, or ok=false.
func (p *peerProc) measure(op, lib string, n, w int, minTime float64) (float64, bool) {
	base := strings.TrimRight(lib, "1N")
	if _, ok := p.libs[base]; !ok {
		return 0, false
	}
	req, _ := json.Marshal(map[string]any{"op": op, "lib": lib, "n": n, "w": w, "min_time": minTime})
	if _, err := fmt.Fprintf(p.in, "%s\n", req); err != nil {
		return 0, false
	}
	if !p.out.Scan() {
		return 0, false
	}
	var ans struct {
		Ns   float64 `json:"ns"`
		Skip string  `json:"skip"`
	}
	if json.Unmarshal(p.out.Bytes(), &ans) != nil || ans.Skip != "" || ans.Ns <= 0 {
		return 0, false
	}
	return ans.Ns, true
}

func (p *peerProc) versions() string {
	var parts []string
	for _, l := range []string{"numpy", "numexpr", "bottleneck", "pandas"} {
		if v, ok := p.libs[l]; ok {
			parts = append(parts, l+" "+v)
		}
	}
	return strings.Join(parts, ", ")
}

func (p *peerProc) close() {
	if p == nil {
		return
	}
	p.in.Close()
	_ = p.cmd.Wait()
	os.RemoveAll(p.dir)
}
