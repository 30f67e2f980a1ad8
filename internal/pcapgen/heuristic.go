package pcapgen

import (
	"encoding/binary"
	"time"
)

// Captures of protocols on ports that are not their own, for heuristic
// detection: the dissector must be found by the content of the first
// frames.
func init() {
	registerCapture("modbus-heuristic-port5020.pcap", "modbus",
		"Modbus/TCP on port 5020: read and write requests with their responses, the first request split inside the MBAP header", buildHeuristicModbus)
	registerCapture("mqtt-heuristic-port18830.pcap", "mqtt",
		"MQTT 3.1.1 on port 18830: CONNECT split over three segments, CONNACK, SUBSCRIBE/SUBACK, PUBLISH QoS 1/PUBACK, PINGREQ/PINGRESP, DISCONNECT", buildHeuristicMQTT)
}

// MBAPFrame builds a Modbus/TCP ADU: the MBAP header around unit and pdu.
func MBAPFrame(tid uint16, unit uint8, pdu []byte) []byte {
	b := make([]byte, 7, 7+len(pdu))
	binary.BigEndian.PutUint16(b[0:], tid)
	binary.BigEndian.PutUint16(b[4:], uint16(len(pdu)+1))
	b[6] = unit
	return append(b, pdu...)
}

func buildHeuristicModbus() *Capture {
	c := NewCapture(101)
	conn := c.NewConn(ConnConfig{Client: ep("10.20.0.2", 49152), Server: ep("10.20.0.1", 5020)})
	conn.Handshake()
	exchanges := []struct{ req, resp []byte }{
		{[]byte{3, 0x00, 0x10, 0x00, 0x02}, []byte{3, 4, 0x12, 0x34, 0x56, 0x78}},
		{[]byte{6, 0x00, 0x20, 0xBE, 0xEF}, []byte{6, 0x00, 0x20, 0xBE, 0xEF}},
		{[]byte{1, 0x00, 0x00, 0x00, 0x0A}, []byte{1, 2, 0x55, 0x01}},
		{[]byte{4, 0x01, 0x00, 0x00, 0x01}, []byte{0x84, 0x02}},
	}
	for i, x := range exchanges {
		plan := Whole()
		if i == 0 {
			plan = SplitAt(3)
		}
		conn.Send(ClientToServer, MBAPFrame(uint16(i+1), 1, x.req), KindRequest, plan)
		c.Sleep(2 * time.Millisecond)
		kind := KindResponse
		if x.resp[0]&0x80 != 0 {
			kind = KindException
		}
		conn.Send(ServerToClient, MBAPFrame(uint16(i+1), 1, x.resp), kind, Whole())
		c.Sleep(10 * time.Millisecond)
	}
	conn.Close(ClientToServer)
	return c
}

// mqttPacket builds an MQTT control packet: the fixed header byte, the
// remaining length, and the body.
func mqttPacket(first byte, body []byte) []byte {
	b := []byte{first}
	n := len(body)
	for {
		d := byte(n % 128)
		n /= 128
		if n > 0 {
			d |= 0x80
		}
		b = append(b, d)
		if n == 0 {
			break
		}
	}
	return append(b, body...)
}

// mqttString is an MQTT UTF-8 string: a 2-byte length and the bytes.
func mqttString(s string) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(s))), s...)
}

func buildHeuristicMQTT() *Capture {
	c := NewCapture(102)
	conn := c.NewConn(ConnConfig{Client: ep("10.30.0.2", 50100), Server: ep("10.30.0.1", 18830)})
	conn.Handshake()
	var connect []byte
	connect = append(connect, mqttString("MQTT")...)
	connect = append(connect, 4, 0x02, 0x00, 0x3C) // level 4, clean session, keep alive 60
	connect = append(connect, mqttString("sensor-7")...)
	conn.Send(ClientToServer, mqttPacket(0x10, connect), KindRequest, SplitAt(2, 9))
	conn.Send(ServerToClient, mqttPacket(0x20, []byte{0, 0}), KindResponse, Whole())
	sub := append([]byte{0x00, 0x01}, mqttString("plant/+/temp")...)
	sub = append(sub, 1)
	conn.Send(ClientToServer, mqttPacket(0x82, sub), KindRequest, Whole())
	conn.Send(ServerToClient, mqttPacket(0x90, []byte{0x00, 0x01, 0x01}), KindResponse, Whole())
	pub := append(mqttString("plant/3/temp"), 0x00, 0x02)
	pub = append(pub, "21.5"...)
	conn.Send(ClientToServer, mqttPacket(0x32, pub), KindRequest, Whole())
	conn.Send(ServerToClient, mqttPacket(0x40, []byte{0x00, 0x02}), KindResponse, Whole())
	conn.Send(ClientToServer, mqttPacket(0xC0, nil), KindRequest, Whole())
	conn.Send(ServerToClient, mqttPacket(0xD0, nil), KindResponse, Whole())
	conn.Send(ClientToServer, mqttPacket(0xE0, nil), KindRequest, Whole())
	conn.Close(ClientToServer)
	return c
}

// HeuristicNoise builds traffic that no heuristic may claim: random bytes,
// HTTP, an SSH banner and zeros on TCP connections, and random UDP
// datagrams, all on ports no dissector is bound to.
func HeuristicNoise() *Capture {
	c := NewCapture(103)
	rng := c.Rand()
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	for i, first := range [][]byte{
		random(300),
		[]byte("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n"),
		[]byte("SSH-2.0-OpenSSH_9.6\r\n"),
		make([]byte, 64),
	} {
		conn := c.NewConn(ConnConfig{Client: ep("10.40.0.2", uint16(51000+i)), Server: ep("10.40.0.1", uint16(8000+i))})
		conn.Handshake()
		conn.Send(ClientToServer, first, KindRequest, Whole())
		conn.Send(ServerToClient, random(200), KindResponse, Whole())
		conn.Close(ClientToServer)
	}
	for i := range 20 {
		c.Datagram(ep("10.40.0.3", uint16(40000+i)), ep("10.40.0.1", 9999), random(8+i*13))
	}
	return c
}
