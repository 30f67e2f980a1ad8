//go:build !cgo

package capture

// OpenLive needs libpcap: in a build without cgo it returns ErrNoLibpcap.
func OpenLive(iface string, opts LiveOptions) (*Source, error) {
	return nil, ErrNoLibpcap
}

// Interfaces needs libpcap: in a build without cgo it returns ErrNoLibpcap.
func Interfaces() ([]Interface, error) {
	return nil, ErrNoLibpcap
}
