package pcapgen

import "encoding/binary"

// Kafka protocol messages (the Kafka protocol guide and the message JSON
// schemas of Apache Kafka's clients module): TCP port 9092.

// KafkaPort is the default port of a Kafka broker.
const KafkaPort = 9092

// KafkaRequest is a request: the size, header v1 (or v2 with an empty
// tagged field section when flexible) and the body.
func KafkaRequest(key, version int16, corr int32, client string, flexible bool, body []byte) []byte {
	h := binary.BigEndian.AppendUint16(nil, uint16(key))
	h = binary.BigEndian.AppendUint16(h, uint16(version))
	h = binary.BigEndian.AppendUint32(h, uint32(corr))
	h = append(h, kStr(client)...)
	if flexible {
		h = append(h, 0)
	}
	return kSized(append(h, body...))
}

// KafkaResponse is a response: the size, header v0 (the correlation id)
// and the body.
func KafkaResponse(corr int32, body []byte) []byte {
	return kSized(append(binary.BigEndian.AppendUint32(nil, uint32(corr)), body...))
}

func kSized(b []byte) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...) }

// kStr is a STRING: int16 length, bytes.
func kStr(s string) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(s))), s...) }

// kCStr is a COMPACT_STRING: unsigned varint length + 1, bytes.
func kCStr(s string) []byte { return append(binary.AppendUvarint(nil, uint64(len(s)+1)), s...) }

func k16(v int16) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func k32(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// kArr is an ARRAY: int32 count, elements.
func kArr(elems ...[]byte) []byte {
	return cat(append([][]byte{k32(int32(len(elems)))}, elems...)...)
}

func init() {
	registerCapture("kafka-session.pcap", "kafka",
		"Kafka on TCP port 9092: ApiVersions v3 (flexible request, compact arrays in the answer), Metadata v1 for two topics with brokers, racks and partitions, SaslHandshake v1, FindCoordinator v1 for a group, Heartbeat v1 with an error; requests pipelined and split in TCP segments",
		buildKafka)
}

func buildKafka() *Capture {
	const client = "dissect-producer"
	apiKeys := [][3]int16{{0, 0, 9}, {1, 0, 13}, {3, 0, 12}, {10, 0, 4}, {12, 0, 4}, {17, 0, 1}, {18, 0, 3}}
	av := cat(k16(0), binary.AppendUvarint(nil, uint64(len(apiKeys)+1)))
	for _, k := range apiKeys {
		av = cat(av, k16(k[0]), k16(k[1]), k16(k[2]), []byte{0})
	}
	av = cat(av, k32(0), []byte{0})
	partition := func(id, leader int32, replicas ...int32) []byte {
		var rs [][]byte
		for _, r := range replicas {
			rs = append(rs, k32(r))
		}
		return cat(k16(0), k32(id), k32(leader), kArr(rs...), kArr(rs...))
	}
	meta := cat(
		kArr(cat(k32(1), kStr("broker-1.example"), k32(9092), kStr("rack-a")),
			cat(k32(2), kStr("broker-2.example"), k32(9092), k16(-1))),
		k32(1),
		kArr(cat(k16(0), kStr("sensor-readings"), []byte{0}, kArr(partition(0, 1, 1, 2), partition(1, 2, 2, 1))),
			cat(k16(3), kStr("missing-topic"), []byte{0}, kArr())))
	steps := []tcpStep{
		toServer(KafkaRequest(18, 3, 1, client, true, cat(kCStr("apache-kafka-java"), kCStr("3.7.0"), []byte{0}))),
		toClient(KafkaResponse(1, av)),
		toServer(KafkaRequest(3, 1, 2, client, false, kArr(kStr("sensor-readings"), kStr("missing-topic")))),
		toClient(KafkaResponse(2, meta)).cut(SplitAt(4, 60)),
		toServer(KafkaRequest(17, 1, 3, client, false, kStr("PLAIN")),
			KafkaRequest(10, 1, 4, client, false, cat(kStr("telemetry-group"), []byte{0}))),
		toClient(KafkaResponse(3, cat(k16(0), kArr(kStr("PLAIN"), kStr("SCRAM-SHA-256"))))),
		toClient(KafkaResponse(4, cat(k32(0), k16(0), k16(-1), k32(2), kStr("broker-2.example"), k32(9092)))),
		toServer(KafkaRequest(12, 1, 5, client, false, cat(kStr("telemetry-group"), k32(7), kStr("member-1-5f0c")))).cut(SplitAt(2)),
		toClient(KafkaResponse(5, cat(k32(0), k16(27)))),
	}
	return mixedCapture(9092, ConnConfig{
		Client: ep("10.80.0.20", 50092),
		Server: ep("10.80.0.10", KafkaPort),
	}, steps)
}
