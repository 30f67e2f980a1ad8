module github.com/dissect-project/dissect

go 1.25.0

require (
	github.com/fatih/color v1.19.0
	github.com/gopacket/gopacket v1.7.7
	github.com/mattn/go-isatty v0.0.20
	github.com/spf13/pflag v1.0.10
)

require (
	github.com/mattn/go-colorable v0.1.14 // indirect
	golang.org/x/net v0.55.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)
