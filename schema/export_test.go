package schema

// RenderBothWays renders the summary template of the structure node i of f
// by its compiled steps and part by part, and says whether the steps
// reported plain text; ok is false when the node has no compiled template.
func RenderBothWays(f *Frame, i int) (steps, parts []byte, plain, ok bool) {
	n := &f.Nodes[i]
	if n.Type.Kind != KindStruct || n.Type.Struct.Summary == nil || n.Type.Struct.Summary.steps == nil {
		return nil, nil, false, false
	}
	t := n.Type.Struct.Summary
	steps, plain = f.appendSteps(nil, i, t)
	return steps, f.appendTemplateParts(nil, i, t), plain, true
}

// IsPlain is isPlain, for tests.
func IsPlain(b []byte) bool { return isPlain(b) }
