package schema

// RenderThreeWays renders the summary template of the structure node i of
// f by its compiled steps (into an empty buffer, steps, and after a byte
// of a buffer with room to spare, where they write with fixed-size
// stores: roomy, without that byte) and part by part, and says whether
// the steps reported plain text; ok is false when the node has no
// compiled template.
func RenderThreeWays(f *Frame, i int) (steps, roomy, parts []byte, plain, ok bool) {
	n := &f.Nodes[i]
	if n.Type.Kind != KindStruct || n.Type.Struct.Summary == nil || n.Type.Struct.Summary.steps == nil {
		return nil, nil, nil, false, false
	}
	t := n.Type.Struct.Summary
	steps, plain = f.appendSteps(nil, i, t)
	roomy, _ = f.appendSteps(make([]byte, 1, 4096), i, t)
	return steps, roomy[1:], f.appendTemplateParts(nil, i, t), plain, true
}

// IsPlain is isPlain, for tests.
func IsPlain(b []byte) bool { return isPlain(b) }
