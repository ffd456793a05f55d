//go:build noasm || !amd64

package asm

func available() []string { return []string{"go"} }

func use(string) { useGo() }
