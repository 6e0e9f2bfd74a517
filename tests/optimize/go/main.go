package main

import (
	"fmt"
	"os"
)

// Reads a file of the source tree at run time, as a web server reads its
// templates: the runtime stage must copy it besides the binary.
func main() {
	greeting, err := os.ReadFile("templates/greeting.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(string(greeting))
}
