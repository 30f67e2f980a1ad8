package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// filterAndTap applies Options.Filter and Options.Tap to the packet being
// read, which is already counted. It reports whether to decode the packet.
func (r *Reader) filterAndTap(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) bool {
	if r.opts.Filter != nil {
		ok, err := r.opts.Filter.match(data, ci, lt)
		if err != nil {
			r.fail(err)
			return false
		}
		if !ok {
			r.stats.Filtered++
			return false
		}
	}
	if r.opts.Tap != nil {
		if err := r.opts.Tap(data, ci, lt); err != nil {
			r.fail(err)
			return false
		}
	}
	return true
}

// fail stops Run, which will return err (the first one).
func (r *Reader) fail(err error) {
	if r.failed == nil {
		r.failed = err
	}
	r.Stop()
}
