package pcapgen

// tcpStep is one flush of a mixed TCP session: messages in one direction
// queued together (so they share segments when there are several) and cut
// by plan (nil: one segment).
type tcpStep struct {
	dir  Dir
	msgs [][]byte
	plan Plan
}

// toServer and toClient are steps of one or more coalesced messages.
func toServer(msgs ...[]byte) tcpStep { return tcpStep{dir: ClientToServer, msgs: msgs} }
func toClient(msgs ...[]byte) tcpStep { return tcpStep{dir: ServerToClient, msgs: msgs} }

// cut returns the step sent with plan instead of in one segment.
func (s tcpStep) cut(plan Plan) tcpStep { s.plan = plan; return s }

// mixedCapture builds a capture of one TCP connection carrying steps, with
// a handshake, think time between steps and an orderly close.
func mixedCapture(seed uint64, cfg ConnConfig, steps []tcpStep) *Capture {
	c := NewCapture(seed)
	addMixedConn(c, cfg, steps)
	return c
}

// messageSteps returns one step a message: each message in a segment of
// its own, requests counted as requests and replies as responses.
func messageSteps(msgs []DirMsg) []tcpStep {
	steps := make([]tcpStep, len(msgs))
	for i, m := range msgs {
		steps[i] = tcpStep{dir: m.Dir, msgs: [][]byte{m.Data}}
	}
	return steps
}

// addMixedConn adds to c one TCP connection carrying steps, with a
// handshake, think time between steps and an orderly close.
func addMixedConn(c *Capture, cfg ConnConfig, steps []tcpStep) {
	conn := c.NewConn(cfg)
	conn.Handshake()
	for _, s := range steps {
		thinkTime(c)
		kind := KindRequest
		if s.dir == ServerToClient {
			kind = KindResponse
		}
		for _, m := range s.msgs {
			conn.Queue(s.dir, m, kind)
		}
		plan := s.plan
		if plan == nil {
			plan = Whole()
		}
		conn.Flush(s.dir, plan)
	}
	thinkTime(c)
	conn.Close(ClientToServer)
}
