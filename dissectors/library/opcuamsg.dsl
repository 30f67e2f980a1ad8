// OPC UA messages sent in several MSG, OPN or CLO chunks, joined
// (opcua.dsl hands the chunks over with [join]): the body of the whole
// message, an encodeable object whose type is given by a NodeId. It
// receives whole messages, so it needs no framing: it is declared as a
// message protocol (transport udp) with no ports, reached only by [join].

import "opcua.dsl"

protocol opcua_msg {
    title       "OPC UA Message"
    description "OPC UA service messages sent in several secure conversation chunks, joined"
    transport   udp
    endian      little
    wireshark   "opcua"
    message     JoinedMessage
}

// A whole message: the type of the encodeable object, then the object.
struct JoinedMessage [summary = "UA Secure Conversation Message{service}"] {
    service Service
}
