// Command bench measures blockwise on this machine.
package main

import (
	"fmt"

	"github.com/blockwise/blockwise/sched"
)

func main() {
	s := sched.Default()
	fmt.Println("machine:  ", s.Topology())
	fmt.Println("bandwidth:", s.Bandwidth())
	for _, n := range []int{1_000, 100_000, 10_000_000, 100_000_000} {
		fmt.Printf("add n=%-10d %s\n", n, s.Plan(n, sched.Cost{Bytes: 24, Ops: 1}).Reason)
	}
}
