package pcapgen

import (
	"encoding/binary"
	"fmt"
	"time"
)

// ModbusPort is the registered TCP port of Modbus/TCP servers.
const ModbusPort = 502

// MBAPHeaderLen is the length of the Modbus Application Protocol header:
// transaction identifier, protocol identifier, length and unit identifier.
const MBAPHeaderLen = 7

// Modbus function codes.
const (
	FuncReadCoils                  uint8 = 0x01
	FuncReadDiscreteInputs         uint8 = 0x02
	FuncReadHoldingRegisters       uint8 = 0x03
	FuncReadInputRegisters         uint8 = 0x04
	FuncWriteSingleCoil            uint8 = 0x05
	FuncWriteSingleRegister        uint8 = 0x06
	FuncWriteMultipleCoils         uint8 = 0x0F
	FuncWriteMultipleRegisters     uint8 = 0x10
	FuncReadWriteMultipleRegisters uint8 = 0x17
	FuncEncapsulatedInterface      uint8 = 0x2B
)

// MEIReadDeviceID is the MEI type of Read Device Identification, carried by
// function code 43 (FuncEncapsulatedInterface).
const MEIReadDeviceID uint8 = 0x0E

// Read Device Identification access codes.
const (
	DevIDBasic      uint8 = 0x01 // stream access, basic objects
	DevIDRegular    uint8 = 0x02 // stream access, regular objects
	DevIDExtended   uint8 = 0x03 // stream access, extended objects
	DevIDIndividual uint8 = 0x04 // one specific object
)

// Modbus exception codes.
const (
	ExIllegalFunction        uint8 = 0x01
	ExIllegalDataAddress     uint8 = 0x02
	ExIllegalDataValue       uint8 = 0x03
	ExServerDeviceFailure    uint8 = 0x04
	ExAcknowledge            uint8 = 0x05
	ExServerDeviceBusy       uint8 = 0x06
	ExGatewayPathUnavailable uint8 = 0x0A
	ExGatewayTargetFailed    uint8 = 0x0B
)

// Processing time of a simulated Modbus server.
const (
	serverDelayMin = 300 * time.Microsecond
	serverDelayMax = 4 * time.Millisecond
)

// PDU is a Modbus protocol data unit: a function code and its data.
type PDU struct {
	Function uint8
	Data     []byte
}

// IsException reports whether the PDU is an exception response (function
// code with its high bit set).
func (p PDU) IsException() bool { return p.Function&0x80 != 0 }

// Bytes returns the function code followed by the data.
func (p PDU) Bytes() []byte {
	return append([]byte{p.Function}, p.Data...)
}

// Frame returns the Modbus/TCP ADU carrying p: the MBAP header
// (transaction id, protocol id 0, length of the unit id and PDU, unit id)
// followed by the PDU. It panics if the PDU is longer than 65533 bytes.
func Frame(tid uint16, unit uint8, p PDU) []byte {
	n := 2 + len(p.Data) // unit id + function code + data
	if n > 0xFFFF {
		panic(fmt.Sprintf("pcapgen: Frame: PDU of %d bytes", n-1))
	}
	b := make([]byte, 0, 6+n)
	b = binary.BigEndian.AppendUint16(b, tid)
	b = binary.BigEndian.AppendUint16(b, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	b = append(b, unit, p.Function)
	return append(b, p.Data...)
}

func be16(vs ...uint16) []byte {
	b := make([]byte, 0, 2*len(vs))
	for _, v := range vs {
		b = binary.BigEndian.AppendUint16(b, v)
	}
	return b
}

// byteCount returns n as the one-byte count field of a PDU.
func byteCount(n int) byte {
	if n > 0xFF {
		panic(fmt.Sprintf("pcapgen: byte count %d does not fit a Modbus PDU", n))
	}
	return byte(n)
}

// PackBits packs coil or discrete input states the Modbus way: the first
// state in the least significant bit of the first byte; unused high bits of
// the last byte are zero.
func PackBits(bits []bool) []byte {
	b := make([]byte, (len(bits)+7)/8)
	for i, on := range bits {
		if on {
			b[i/8] |= 1 << (i % 8)
		}
	}
	return b
}

func readRequest(fc uint8, addr, qty uint16) PDU {
	return PDU{Function: fc, Data: be16(addr, qty)}
}

func bitsResponse(fc uint8, bits []bool) PDU {
	packed := PackBits(bits)
	return PDU{Function: fc, Data: append([]byte{byteCount(len(packed))}, packed...)}
}

func registersResponse(fc uint8, vals []uint16) PDU {
	return PDU{Function: fc, Data: append([]byte{byteCount(2 * len(vals))}, be16(vals...)...)}
}

// ReadCoils returns a function 1 request for qty coils starting at addr.
func ReadCoils(addr, qty uint16) PDU { return readRequest(FuncReadCoils, addr, qty) }

// ReadCoilsResponse returns a function 1 response carrying the coil states.
func ReadCoilsResponse(bits []bool) PDU { return bitsResponse(FuncReadCoils, bits) }

// ReadDiscreteInputs returns a function 2 request for qty inputs starting
// at addr.
func ReadDiscreteInputs(addr, qty uint16) PDU {
	return readRequest(FuncReadDiscreteInputs, addr, qty)
}

// ReadDiscreteInputsResponse returns a function 2 response carrying the
// input states.
func ReadDiscreteInputsResponse(bits []bool) PDU {
	return bitsResponse(FuncReadDiscreteInputs, bits)
}

// ReadHoldingRegisters returns a function 3 request for qty registers
// starting at addr.
func ReadHoldingRegisters(addr, qty uint16) PDU {
	return readRequest(FuncReadHoldingRegisters, addr, qty)
}

// ReadHoldingRegistersResponse returns a function 3 response carrying the
// register values.
func ReadHoldingRegistersResponse(vals []uint16) PDU {
	return registersResponse(FuncReadHoldingRegisters, vals)
}

// ReadInputRegisters returns a function 4 request for qty registers
// starting at addr.
func ReadInputRegisters(addr, qty uint16) PDU {
	return readRequest(FuncReadInputRegisters, addr, qty)
}

// ReadInputRegistersResponse returns a function 4 response carrying the
// register values.
func ReadInputRegistersResponse(vals []uint16) PDU {
	return registersResponse(FuncReadInputRegisters, vals)
}

// WriteSingleCoil returns a function 5 request setting the coil at addr
// (output value 0xFF00 for on, 0x0000 for off). The normal response is an
// echo of the request.
func WriteSingleCoil(addr uint16, on bool) PDU {
	var v uint16
	if on {
		v = 0xFF00
	}
	return PDU{Function: FuncWriteSingleCoil, Data: be16(addr, v)}
}

// WriteSingleRegister returns a function 6 request writing val at addr. The
// normal response is an echo of the request.
func WriteSingleRegister(addr, val uint16) PDU {
	return PDU{Function: FuncWriteSingleRegister, Data: be16(addr, val)}
}

// WriteMultipleCoils returns a function 15 request writing the coil states
// starting at addr.
func WriteMultipleCoils(addr uint16, bits []bool) PDU {
	packed := PackBits(bits)
	d := append(be16(addr, uint16(len(bits))), byteCount(len(packed)))
	return PDU{Function: FuncWriteMultipleCoils, Data: append(d, packed...)}
}

// WriteMultipleCoilsResponse returns a function 15 response confirming qty
// coils written from addr.
func WriteMultipleCoilsResponse(addr, qty uint16) PDU {
	return PDU{Function: FuncWriteMultipleCoils, Data: be16(addr, qty)}
}

// WriteMultipleRegisters returns a function 16 request writing the values
// starting at addr.
func WriteMultipleRegisters(addr uint16, vals []uint16) PDU {
	d := append(be16(addr, uint16(len(vals))), byteCount(2*len(vals)))
	return PDU{Function: FuncWriteMultipleRegisters, Data: append(d, be16(vals...)...)}
}

// WriteMultipleRegistersResponse returns a function 16 response confirming
// qty registers written from addr.
func WriteMultipleRegistersResponse(addr, qty uint16) PDU {
	return PDU{Function: FuncWriteMultipleRegisters, Data: be16(addr, qty)}
}

// ReadWriteMultipleRegisters returns a function 23 request that writes the
// values starting at writeAddr, then reads readQty registers starting at
// readAddr.
func ReadWriteMultipleRegisters(readAddr, readQty, writeAddr uint16, vals []uint16) PDU {
	d := append(be16(readAddr, readQty, writeAddr, uint16(len(vals))), byteCount(2*len(vals)))
	return PDU{Function: FuncReadWriteMultipleRegisters, Data: append(d, be16(vals...)...)}
}

// ReadWriteMultipleRegistersResponse returns a function 23 response carrying
// the values read.
func ReadWriteMultipleRegistersResponse(vals []uint16) PDU {
	return registersResponse(FuncReadWriteMultipleRegisters, vals)
}

// DeviceObject is one object of a Read Device Identification response.
type DeviceObject struct {
	ID    uint8
	Value string
}

// ReadDeviceIdentification returns a function 43 / MEI 14 request with the
// given read device id code (DevIDBasic...DevIDIndividual) and object id.
func ReadDeviceIdentification(code, objectID uint8) PDU {
	return PDU{Function: FuncEncapsulatedInterface, Data: []byte{MEIReadDeviceID, code, objectID}}
}

// ReadDeviceIdentificationResponse returns a function 43 / MEI 14 response:
// read device id code, conformity level, more-follows flag (0xFF when more
// is true, else 0x00), next object id, number of objects, then each object
// as id, length and value.
func ReadDeviceIdentificationResponse(code, conformity uint8, more bool, nextID uint8, objs []DeviceObject) PDU {
	var mf byte
	if more {
		mf = 0xFF
	}
	d := []byte{MEIReadDeviceID, code, conformity, mf, nextID, byteCount(len(objs))}
	for _, o := range objs {
		d = append(d, o.ID, byteCount(len(o.Value)))
		d = append(d, o.Value...)
	}
	return PDU{Function: FuncEncapsulatedInterface, Data: d}
}

// Exception returns the exception response to function fc with the given
// exception code.
func Exception(fc, code uint8) PDU {
	return PDU{Function: fc | 0x80, Data: []byte{code}}
}

// Transaction is a Modbus request and the server's response to it.
type Transaction struct {
	Request, Response PDU
	// Unit, when not zero, is the unit identifier of this transaction's
	// ADUs instead of the Session's.
	Unit uint8
}

// Session sends Modbus/TCP ADUs over a Conn, numbering transactions.
type Session struct {
	Conn *Conn
	Unit uint8  // unit identifier of the next ADUs
	TID  uint16 // transaction identifier of the next request
}

// unit returns the unit identifier of t's ADUs.
func (s *Session) unit(t Transaction) uint8 {
	if t.Unit != 0 {
		return t.Unit
	}
	return s.Unit
}

// QueueRequest queues the ADU carrying t's request on the client side of
// the connection and returns its transaction identifier. It does not
// flush.
func (s *Session) QueueRequest(t Transaction) uint16 {
	tid := s.TID
	s.TID++
	s.Conn.Queue(ClientToServer, Frame(tid, s.unit(t), t.Request), KindRequest)
	return tid
}

// QueueResponse queues the ADU carrying t's response, with transaction
// identifier tid, on the server side of the connection. It does not flush.
func (s *Session) QueueResponse(tid uint16, t Transaction) {
	kind := KindResponse
	if t.Response.IsException() {
		kind = KindException
	}
	s.Conn.Queue(ServerToClient, Frame(tid, s.unit(t), t.Response), kind)
}

// Exchange sends t's request with reqPlan, then, after a short server
// processing delay, its response with respPlan.
func (s *Session) Exchange(t Transaction, reqPlan, respPlan Plan) {
	tid := s.QueueRequest(t)
	s.Conn.Flush(ClientToServer, reqPlan)
	s.Conn.capt.SleepBetween(serverDelayMin, serverDelayMax)
	s.QueueResponse(tid, t)
	s.Conn.Flush(ServerToClient, respPlan)
}
