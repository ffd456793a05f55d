module github.com/blockwise/blockwise

go 1.26.0

require gonum.org/v1/gonum v0.17.0

require (
	github.com/klauspost/cpuid/v2 v2.4.2 // indirect
	go.uber.org/goleak v1.3.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.41.0 // indirect
)
