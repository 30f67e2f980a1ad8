package schema

// elementIndex is index(): the position, from 0, of the element being
// decoded in the innermost array around the expression. Outside any array
// there is none, and the expression fails as referring to something
// absent.
func (env *evalEnv) elementIndex() (int64, exprErr) {
	if env.d == nil {
		return 0, exprMissing
	}
	path := env.d.path
	for i := len(path) - 1; i >= 0; i-- {
		if path[i].index >= 0 {
			return int64(path[i].index), exprOK
		}
	}
	return 0, exprMissing
}
