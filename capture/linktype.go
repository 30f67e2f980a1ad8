package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Link types that old BSD captures use for raw IP (DLT_RAW on some systems).
const (
	linkTypeRawBSD12 layers.LinkType = 12
	linkTypeRawBSD14 layers.LinkType = 14
)

// linkTypeName names a link type for messages.
func linkTypeName(lt layers.LinkType) string {
	switch lt {
	case layers.LinkTypeNull:
		return "BSD loopback"
	case layers.LinkTypeLoop:
		return "OpenBSD loopback"
	case layers.LinkTypeEthernet:
		return "Ethernet"
	case layers.LinkTypeRaw, linkTypeRawBSD12, linkTypeRawBSD14:
		return "raw IP"
	case layers.LinkTypeIPv4:
		return "raw IPv4"
	case layers.LinkTypeIPv6:
		return "raw IPv6"
	case layers.LinkTypeLinuxSLL:
		return "Linux SLL"
	case layers.LinkTypeLinuxSLL2:
		return "Linux SLL2"
	case linkTypeUnknown:
		return "unknown interface"
	}
	if lt >= 147 && lt <= 162 {
		return "USER" + itoa(uint64(lt-147))
	}
	if name := lt.String(); name != "UnknownLinkType" {
		return name
	}
	return "unknown"
}

// firstLayer returns the layer a packet of link type lt starts with:
// LayerTypeIPv4 for raw IP (whose version is only known per packet), or
// LayerTypeZero for an unsupported link type.
func firstLayer(lt layers.LinkType) gopacket.LayerType {
	switch lt {
	case layers.LinkTypeEthernet:
		return layers.LayerTypeEthernet
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		return layers.LayerTypeLoopback
	case layers.LinkTypeLinuxSLL:
		return layers.LayerTypeLinuxSLL
	case layers.LinkTypeLinuxSLL2:
		return layers.LayerTypeLinuxSLL2
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, linkTypeRawBSD12, linkTypeRawBSD14:
		return layers.LayerTypeIPv4
	}
	return gopacket.LayerTypeZero
}

// isRawIP reports whether packets of link type lt start with an IP header.
func isRawIP(lt layers.LinkType) bool {
	return firstLayer(lt) == layers.LayerTypeIPv4
}

// layerInfo describes a layer the Reader decodes, for the reasons counted in
// Stats.NotDecoded when its header cannot be decoded.
type layerInfo struct {
	minLen    int    // shortest valid header
	truncated string // reason when the header is cut short
	malformed string // reason when the header is invalid
}

// layerInfos is indexed by the layer types the Reader decodes.
var layerInfos = map[gopacket.LayerType]layerInfo{}

func init() {
	add := func(t gopacket.LayerType, name string, minLen int) {
		layerInfos[t] = layerInfo{
			minLen:    minLen,
			truncated: "truncated " + name + " header",
			malformed: "malformed " + name + " header",
		}
	}
	add(layers.LayerTypeEthernet, "Ethernet", 14)
	add(layers.LayerTypeDot1Q, "802.1Q", 4)
	add(layers.LayerTypeLinuxSLL, "Linux SLL", 16)
	add(layers.LayerTypeLinuxSLL2, "Linux SLL2", 20)
	add(layers.LayerTypeLoopback, "loopback", 4)
	add(layers.LayerTypeIPv4, "IPv4", 20)
	add(layers.LayerTypeIPv6, "IPv6", 40)
	add(layers.LayerTypeIPv6Fragment, "IPv6 fragment", 8)
	for _, t := range layers.LayerClassIPv6Extension.LayerTypes() {
		if t != layers.LayerTypeIPv6Fragment {
			add(t, "IPv6 extension", 8)
		}
	}
	add(layers.LayerTypeTCP, "TCP", 20)
	add(layers.LayerTypeUDP, "UDP", 8)
}

// Reasons counted in Stats.NotDecoded, besides those of layerInfos and the
// unsupported link types.
const (
	reasonNotIP       = "not IP"
	reasonFragment    = "IP fragment inside a reassembled datagram (not reassembled again)"
	reasonNoTransport = "no transport"
	reasonEmptyUDP    = "empty UDP payload"
)

// unsupportedLinkType is the reason counted for packets of link type lt.
func unsupportedLinkType(lt layers.LinkType) string {
	return "unsupported link type " + itoa(uint64(lt)) + " (" + linkTypeName(lt) + ")"
}
