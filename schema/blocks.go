package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

// Blocks is a field whose bytes are a sequence of blocks, each of up to
// Size data bytes followed by a 16-bit CRC of those bytes, sent least
// significant byte first: DNP3's link layer, for one. The field's type is
// decoded from the data bytes joined, a view the frame keeps after its
// own bytes, and each block's CRC is checked and shown in an array named
// after the field with "_crc" added, whose elements cover their blocks.
type Blocks struct {
	Algo ChecksumAlgo
	Size int    // data bytes in a full block
	CRC  *Field // the field of the CRC array, a sibling of the blocked field
}

// maxBlockSize bounds the data bytes of one block.
const maxBlockSize = 1 << 16

// blockCRCAlgos are the checksums a block can carry: 16-bit CRCs.
var blockCRCAlgos = []string{"crc16_dnp", "crc16_modbus", "crc16_ccitt", "crc16_x25", "crc16_kermit"}

// blocksAttr compiles [blocks = crc16_dnp(16)].
func (c *checker) blocksAttr(f *Field, a *syntax.Attr) {
	call, ok := a.Value.(*syntax.CallExpr)
	if !ok || len(call.Args) != 1 {
		c.errorf(exprPos(a.Value), "blocks takes CRC(N): N data bytes in each block, then a 16-bit CRC of them; CRCs: %s", strings.Join(blockCRCAlgos, ", "))
		return
	}
	algo, known := checksumNames[call.Fun.Name]
	if !known || !isCRC16(algo) {
		c.errorf(call.Fun.Pos, "blocks needs a 16-bit CRC, not %s; expected one of: %s", call.Fun.Name, strings.Join(blockCRCAlgos, ", "))
		return
	}
	n, ok := c.constInt(call.Args[0], "the data bytes of a block")
	if !ok {
		return
	}
	if n < 1 || n > maxBlockSize {
		c.errorf(exprPos(call.Args[0]), "a block holds 1 to %d data bytes, not %d", maxBlockSize, n)
		return
	}
	switch {
	case f.At != nil || f.Pad > 0:
		c.errorf(a.Name.Pos, "a blocked field cannot have at or pad")
		return
	case f.Type.Bits > 0:
		c.errorf(a.Name.Pos, "a bit field cannot be blocked")
		return
	case f.Check != nil || f.Layer != nil && (f.Layer.Stream || f.Layer.Join != nil):
		c.errorf(a.Name.Pos, "a blocked field cannot carry a checksum, a stream or a join")
		return
	}
	crcType := &Type{Kind: KindUint, Name: "u16le", Size: 2, Endian: LittleEndian}
	crc := &Field{
		Op: OpField, Name: f.Name + "_crc", Slot: -1, Base: BaseHex,
		Type: &Type{Kind: KindArray, Name: "[]u16le", Elem: crcType, Mode: ArrayToEnd},
		Doc:  fmt.Sprintf("The %s of each block of up to %d bytes of %s", call.Fun.Name, n, f.Name),
	}
	f.Blocks = &Blocks{Algo: algo, Size: int(n), CRC: crc}
}

func isCRC16(a ChecksumAlgo) bool {
	switch a {
	case CRC16DNP, CRC16Modbus, CRC16CCITT, CRC16X25, CRC16Kermit:
		return true
	}
	return false
}

// decodeBlocks decodes field m from the blocks in [pos, end): it checks
// each block's CRC, adds the CRC array, joins the data bytes into a view
// after the frame's bytes, and decodes m's type there. It returns the
// value's node and whether decoding may go on.
func (d *decoder) decodeBlocks(m *Field, pos, end int, env *evalEnv) (int, bool) {
	b := m.Blocks
	if pos == end {
		d.fail(pos, "truncated", "a block of data and its CRC", "0 bytes")
		return -1, false
	}
	// The view lives in the frame's own buffer, after a copy of its bytes,
	// so that every node's offset indexes Frame.Data.
	if !d.owned {
		d.f.own = append(d.f.own[:0], d.data...)
		d.owned = true
	}
	arr := d.addNode(b.CRC, b.CRC.Type, -1, pos, end-pos, 0)
	if arr < 0 {
		return -1, false
	}
	viewStart := len(d.f.own)
	count := 0
	for p := pos; p < end; {
		n := min(b.Size, end-p-2)
		if n < 1 {
			d.f.Nodes[arr].End = int32(len(d.f.Nodes))
			d.fail(p, "truncated", fmt.Sprintf("a block of 1 to %d bytes and its 2-byte CRC", b.Size), strconv.Itoa(end-p)+" bytes")
			return -1, false
		}
		data := d.data[p : p+n]
		sum := checksum(b.Algo, data)
		d.f.own = append(d.f.own, data...)
		// The element covers its block, data and CRC, so that a hex dump
		// shows every byte of the region as decoded.
		c := d.addNode(b.CRC, b.CRC.Type.Elem, int32(count), p, n+2, uint64(d.data[p+n])|uint64(d.data[p+n+1])<<8)
		if c < 0 {
			return -1, false
		}
		if sum == d.f.Nodes[c].Bits {
			d.f.Nodes[c].Flags |= NodeChecksumOK
		} else {
			d.f.Nodes[c].Flags |= NodeChecksumBad
			d.f.BadChecksums++
			d.f.checks = append(d.f.checks, checkResult{node: int32(c), want: sum, known: true})
		}
		count++
		p += n + 2
	}
	d.f.Nodes[arr].Bits = uint64(count)
	d.f.Nodes[arr].End = int32(len(d.f.Nodes))
	d.data = d.f.own
	d.f.Data = d.f.own
	viewEnd := len(d.f.own)
	c, _, ok := d.decodeValue(m, m.Type, -1, viewStart, viewStart, viewEnd, env)
	return c, ok
}
