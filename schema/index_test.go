package schema

import "testing"

// index() lets an element find what belongs to it in an earlier array:
// the type of each value (MySQL's COM_STMT_EXECUTE lists the types, then
// the values) and its bit in a NULL bitmap.
func TestIndex(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "types before values", src: `struct M {
    n      u8
    nulls  u8
    types  [n]u8
    values [n]V(offset(types), offset(nulls))
}
struct V(types u32, nulls u32) {
    let i = index()
    let null = (u8(nulls) >> index()) & 1
    value switch null ? 0 : u8(types + index()) { case 0: Nothing  case 1: u8  case 2: u16  case 4: u32 }
}
struct Nothing {}`,
			data:   []byte{4, 0b0100, 2, 1, 2, 4, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09},
			fields: []string{"values.0.i=0", "values.0.value=258", "values.1.value=3", "values.2.null=1", "values.3.i=3", "values.3.value=67438087"}},
		{name: "innermost array", src: "struct M { rows [2]R }\nstruct R { cells [2]C }\nstruct C { let i = index() ; v u8 }",
			data: []byte{1, 2, 3, 4}, fields: []string{"rows.1.cells.0.i=0", "rows.1.cells.1.i=1", "rows.1.cells.1.v=4"}},
		{name: "outside any array", src: "struct M { let i = index() }", data: []byte{}, err: "refers to a field that is absent"},
	})
}
