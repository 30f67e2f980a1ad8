package pcapgen

import "math/rand/v2"

// Device identification objects of the simulated PLC.
var deviceObjects = []DeviceObject{
	{0x00, "Acme Automation"},
	{0x01, "AC-PLC-2000"},
	{0x02, "V2.4.1"},
	{0x03, "https://plc.example.com"},
	{0x04, "AC PLC 2000 Controller"},
	{0x05, "AC-PLC-2000-ETH"},
	{0x06, "Line 3 Packaging"},
}

// unpackBits returns the first n states packed in b (see PackBits).
func unpackBits(b []byte, n int) []bool {
	bits := make([]bool, n)
	for i := range bits {
		bits[i] = b[i/8]&(1<<(i%8)) != 0
	}
	return bits
}

// BasicTransactions returns a fixed list of transactions: at least one
// normal request/response pair for each function code 1, 2, 3, 4, 5, 6, 15,
// 16, 23 and 43/14, followed by requests answered with exception responses
// (exception codes 1, 2, 3, 4, 6, 0x0A and 0x0B). Values follow the
// examples of the Modbus application protocol specification where it gives
// some.
func BasicTransactions() []Transaction {
	return []Transaction{
		{Request: ReadCoils(0x0013, 19), Response: ReadCoilsResponse(unpackBits([]byte{0xCD, 0x6B, 0x05}, 19))},
		{Request: ReadDiscreteInputs(0x00C4, 22), Response: ReadDiscreteInputsResponse(unpackBits([]byte{0xAC, 0xDB, 0x35}, 22))},
		{Request: ReadHoldingRegisters(0x006B, 3), Response: ReadHoldingRegistersResponse([]uint16{0x022B, 0x0000, 0x0064})},
		{Request: ReadInputRegisters(0x0008, 1), Response: ReadInputRegistersResponse([]uint16{0x000A})},
		{Request: WriteSingleCoil(0x00AC, true), Response: WriteSingleCoil(0x00AC, true)},
		{Request: WriteSingleRegister(0x0001, 0x0003), Response: WriteSingleRegister(0x0001, 0x0003)},
		{Request: WriteMultipleCoils(0x0013, unpackBits([]byte{0xCD, 0x01}, 10)), Response: WriteMultipleCoilsResponse(0x0013, 10)},
		{Request: WriteMultipleRegisters(0x0001, []uint16{0x000A, 0x0102}), Response: WriteMultipleRegistersResponse(0x0001, 2)},
		{
			Request:  ReadWriteMultipleRegisters(0x0003, 6, 0x000E, []uint16{0x00FF, 0x00FF, 0x00FF}),
			Response: ReadWriteMultipleRegistersResponse([]uint16{0x00FE, 0x0ACD, 0x0001, 0x0003, 0x000D, 0x00FF}),
		},
		{
			Request:  ReadDeviceIdentification(DevIDBasic, 0x00),
			Response: ReadDeviceIdentificationResponse(DevIDBasic, 0x81, false, 0x00, deviceObjects[0:3]),
		},
		{
			Request:  ReadDeviceIdentification(DevIDRegular, 0x03),
			Response: ReadDeviceIdentificationResponse(DevIDRegular, 0x82, true, 0x05, deviceObjects[3:5]),
		},
		{
			Request:  ReadDeviceIdentification(DevIDIndividual, 0x05),
			Response: ReadDeviceIdentificationResponse(DevIDIndividual, 0x82, false, 0x00, deviceObjects[5:6]),
		},
		{Request: ReadCoils(0x0000, 2000), Response: ReadCoilsResponse(alternating(2000))},
		{Request: ReadHoldingRegisters(0x0000, 125), Response: ReadHoldingRegistersResponse(ramp(125, 1000, 7))},

		{Request: ReadCoils(0x2710, 8), Response: Exception(FuncReadCoils, ExIllegalDataAddress)},
		{Request: ReadHoldingRegisters(0x0000, 200), Response: Exception(FuncReadHoldingRegisters, ExIllegalDataValue)},
		{Request: WriteSingleRegister(0x0010, 0x1234), Response: Exception(FuncWriteSingleRegister, ExServerDeviceFailure)},
		{Request: WriteMultipleRegisters(0x0100, []uint16{1, 2, 3, 4}), Response: Exception(FuncWriteMultipleRegisters, ExServerDeviceBusy)},
		{Request: ReadWriteMultipleRegisters(0x0000, 2, 0x0010, []uint16{0x0001}), Response: Exception(FuncReadWriteMultipleRegisters, ExIllegalFunction)},
		{Request: ReadInputRegisters(0x0000, 4), Response: Exception(FuncReadInputRegisters, ExGatewayTargetFailed), Unit: 0x11},
		{Request: WriteMultipleCoils(0x0020, []bool{true, false, true}), Response: Exception(FuncWriteMultipleCoils, ExGatewayPathUnavailable), Unit: 0x12},
		{Request: ReadDeviceIdentification(DevIDIndividual, 0x7F), Response: Exception(FuncEncapsulatedInterface, ExIllegalDataAddress)},
	}
}

// alternating returns n states on, off, on, off...
func alternating(n int) []bool {
	bits := make([]bool, n)
	for i := range bits {
		bits[i] = i%2 == 0
	}
	return bits
}

// ramp returns n register values start, start+step, ...
func ramp(n int, start, step uint16) []uint16 {
	vals := make([]uint16, n)
	for i := range vals {
		vals[i] = start + uint16(i)*step
	}
	return vals
}

// randomFunctions are the function codes RandomTransaction picks from.
var randomFunctions = []uint8{
	FuncReadCoils, FuncReadDiscreteInputs, FuncReadHoldingRegisters,
	FuncReadInputRegisters, FuncWriteSingleCoil, FuncWriteSingleRegister,
	FuncWriteMultipleCoils, FuncWriteMultipleRegisters,
	FuncReadWriteMultipleRegisters, FuncEncapsulatedInterface,
}

// randomExceptions are the exception codes RandomTransaction picks from.
var randomExceptions = []uint8{
	ExIllegalFunction, ExIllegalDataAddress, ExIllegalDataValue,
	ExServerDeviceFailure, ExServerDeviceBusy, ExGatewayTargetFailed,
}

// RandomTransaction draws a transaction from r: a function code among those
// of BasicTransactions with plausible addresses, small quantities and a
// matching response, which is an exception response about one time in ten.
func RandomTransaction(r *rand.Rand) Transaction {
	fc := randomFunctions[r.IntN(len(randomFunctions))]
	bits := func(n int) []bool {
		b := make([]bool, n)
		for i := range b {
			b[i] = r.IntN(2) == 1
		}
		return b
	}
	regs := func(n int) []uint16 {
		v := make([]uint16, n)
		for i := range v {
			v[i] = uint16(r.IntN(1 << 16))
		}
		return v
	}
	addr := uint16(r.IntN(1000))
	var t Transaction
	switch fc {
	case FuncReadCoils, FuncReadDiscreteInputs:
		qty := 1 + r.IntN(48)
		t.Request = readRequest(fc, addr, uint16(qty))
		t.Response = bitsResponse(fc, bits(qty))
	case FuncReadHoldingRegisters, FuncReadInputRegisters:
		qty := 1 + r.IntN(16)
		t.Request = readRequest(fc, addr, uint16(qty))
		t.Response = registersResponse(fc, regs(qty))
	case FuncWriteSingleCoil:
		t.Request = WriteSingleCoil(addr, r.IntN(2) == 1)
		t.Response = t.Request
	case FuncWriteSingleRegister:
		t.Request = WriteSingleRegister(addr, uint16(r.IntN(1<<16)))
		t.Response = t.Request
	case FuncWriteMultipleCoils:
		qty := 1 + r.IntN(32)
		t.Request = WriteMultipleCoils(addr, bits(qty))
		t.Response = WriteMultipleCoilsResponse(addr, uint16(qty))
	case FuncWriteMultipleRegisters:
		qty := 1 + r.IntN(8)
		t.Request = WriteMultipleRegisters(addr, regs(qty))
		t.Response = WriteMultipleRegistersResponse(addr, uint16(qty))
	case FuncReadWriteMultipleRegisters:
		rq, wq := 1+r.IntN(8), 1+r.IntN(4)
		t.Request = ReadWriteMultipleRegisters(addr, uint16(rq), addr+100, regs(wq))
		t.Response = ReadWriteMultipleRegistersResponse(regs(rq))
	case FuncEncapsulatedInterface:
		t.Request = ReadDeviceIdentification(DevIDBasic, 0x00)
		t.Response = ReadDeviceIdentificationResponse(DevIDBasic, 0x81, false, 0x00, deviceObjects[0:3])
	}
	if r.IntN(10) == 0 {
		t.Response = Exception(fc, randomExceptions[r.IntN(len(randomExceptions))])
	}
	return t
}
