package schema

// Verdict is the answer of a heuristic to the first bytes of a connection
// or a datagram.
type Verdict uint8

// The heuristic verdicts.
const (
	VerdictNo       Verdict = iota // the bytes are not this protocol
	VerdictYes                     // the first frame is this protocol
	VerdictNeedMore                // more bytes are needed to tell
)

// String returns "no", "yes" or "need more".
func (v Verdict) String() string {
	switch v {
	case VerdictYes:
		return "yes"
	case VerdictNeedMore:
		return "need more"
	}
	return "no"
}

// Detect applies the protocol's heuristic to buf, the first bytes one side
// sent: as a client's when response is false, as a server's otherwise.
//
// With datagram set, buf is a whole datagram: it is the frame, and the
// framing rule, which finds frames in TCP streams, does not apply.
// Otherwise buf is the start of a TCP stream and the framing rule finds the
// first frame; once buf holds window bytes no more will come, and a first
// frame longer than that is judged by the condition and its length alone.
//
// The frame is decoded into f with opts, whose State, if any, the caller
// resets: a trial must not change a connection's state. Detect allocates
// nothing once f has grown.
func (p *Program) Detect(buf []byte, response, datagram bool, window int, f *Frame, opts *DecodeOptions) Verdict {
	h := p.Heuristic
	if h == nil || len(buf) == 0 {
		return VerdictNo
	}
	cond, root := h.Request, p.Request
	if response {
		cond, root = h.Response, p.Response
	}
	if cond == nil || root == nil {
		return VerdictNo
	}
	final := datagram || len(buf) >= window
	env := evalEnv{data: buf, end: len(buf), last: -1}
	v, err := cond.eval(&env)
	switch {
	case err == exprNeedMore && !final:
		return VerdictNeedMore
	case err != exprOK || v == 0:
		return VerdictNo
	}
	n := len(buf)
	if p.Framing != nil && !datagram {
		// A framing rule that reads the connection state (MySQL's phase,
		// Cassandra's v5 segments) sees it as a new connection has it.
		m, st := p.Framing.FrameLenState(buf, opts.State)
		switch {
		case st == FrameNeedMore && !final:
			return VerdictNeedMore
		case st != FrameOK:
			return VerdictNo
		case m > len(buf):
			if final {
				return VerdictYes // longer than the window: the condition and the length vouch for it
			}
			return VerdictNeedMore
		}
		n = m
	}
	opts.Response = response
	DecodeWith(root, buf[:n], f, opts)
	if f.Err != nil || f.Trailing > 0 || f.BadChecksums > 0 {
		return VerdictNo
	}
	return VerdictYes
}
