// Command dissect makes custom binary network protocols readable. It reads
// pcap and pcapng captures, reassembles TCP streams, decodes application
// frames with schema-driven dissectors, and prints a summary line, a field
// tree, a coloured hex dump, or NDJSON per frame.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
