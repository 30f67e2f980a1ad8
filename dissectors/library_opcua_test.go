package dissectors

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Frames of OPC UA Binary built as OPC 10000-6 encodes them, with the
// builders of internal/pcapgen (which the generated capture also uses and
// which tshark checks there).

var uaTime = time.Date(2024, 3, 1, 12, 30, 45, 123456700, time.UTC)

const uaTimeText = "2024-03-01T12:30:45.1234567Z (133537698451234567)"

// The binary encoding ids of services that the generator does not build.
const (
	uaAddNodesRequest              = 488
	uaAddNodesResponse             = 491
	uaTranslateBrowsePathsRequest  = 554
	uaTranslateBrowsePathsResponse = 557
	uaCallRequest                  = 712
	uaCallResponse                 = 715
	uaDeleteSubscriptionsRequest   = 847
	uaDeleteSubscriptionsResponse  = 850
)

func uaW() *pcapgen.UAWriter { return &pcapgen.UAWriter{} }

// uaMsg is a final MSG chunk on channel 7, token 1.
func uaMsg(seq, reqID uint32, typeID uint32, object []byte) []byte {
	return pcapgen.UASymmetric("MSG", 'F', 7, 1, seq, reqID, pcapgen.UAService(typeID, object))
}

func TestOPCUAMessages(t *testing.T) {
	reg := libraryRegistry(t)
	session := uaW().GuidNodeId(1, [16]byte{0x91, 0x2b, 0x96, 0x72, 0x75, 0xfa, 0xe6, 0x4a, 0x8d, 0x28, 0xb4, 0x04, 0xdc, 0x7d, 0xaf, 0x63}).B
	const ch = "body.channel."
	const svc = ch + "service."
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
		absent  []string
	}{
		{
			name: "hello", dir: ClientToServer, data: pcapgen.UAHello("opc.tcp://plc:4840"),
			summary: "Hello message",
			fields: map[string]string{
				"message_type": `"HEL"`, "chunk_type": `"F"`, "message_size": "50",
				"body.uacp.protocol_version": "0", "body.uacp.receive_buffer_size": "65535", "body.uacp.max_message_size": "0",
				"body.uacp.endpoint_url": `"opc.tcp://plc:4840"`,
			},
			absent: []string{"body.channel"},
		},
		{
			name: "acknowledge", dir: ServerToClient, data: pcapgen.UAAcknowledge(8192, 1<<20, 16),
			summary: "Acknowledge message",
			fields:  map[string]string{"message_type": `"ACK"`, "body.uacp.send_buffer_size": "8192", "body.uacp.max_message_size": "1048576", "body.uacp.max_chunk_count": "16"},
		},
		{
			name: "error", dir: ServerToClient, data: pcapgen.UAError(0x807E0000, "bad message type"),
			summary: "Error message: BadTcpMessageTypeInvalid (0x807e0000)",
			fields:  map[string]string{"body.uacp.error": "BadTcpMessageTypeInvalid (0x807e0000)", "body.uacp.reason": `"bad message type"`},
		},
		{
			name: "reverse hello", dir: ServerToClient, data: pcapgen.UAReverseHello("urn:plc", "opc.tcp://plc:4840"),
			summary: "ReverseHello message",
			fields:  map[string]string{"body.uacp.server_uri": `"urn:plc"`, "body.uacp.endpoint_url": `"opc.tcp://plc:4840"`},
		},
		{
			name: "open secure channel request", dir: ClientToServer,
			data:    pcapgen.UAOpen(0, 51, 1, pcapgen.UAService(pcapgen.UAOpenSecureChannelRequest, pcapgen.UAOpenRequestObject(uaTime, 0, 600000))),
			summary: "OpenSecureChannel message: OpenSecureChannelRequest (446)",
			fields: map[string]string{
				ch + "secure_channel_id": "0", ch + "asymmetric.security_policy_uri": `"` + pcapgen.OPCUASecurityPolicyNone + `"`,
				ch + "asymmetric.sender_certificate": "(empty)", ch + "asymmetric.receiver_certificate_thumbprint": "(empty)",
				ch + "sequence_number": "51", ch + "request_id": "1",
				svc + "type_id.encoding_mask": "0x01", svc + "type_id.namespace": "0", svc + "type_id.numeric": "446",
				svc + "body.request_header.authentication_token.encoding_mask":      "0x00",
				svc + "body.request_header.authentication_token.id.numeric":         "0",
				svc + "body.request_header.timestamp":                               uaTimeText,
				svc + "body.request_header.return_diagnostics":                      "0x00000000",
				svc + "body.request_header.audit_entry_id":                          `""`,
				svc + "body.request_header.additional_header.type_id.encoding_mask": "0x00",
				svc + "body.request_header.additional_header.encoding":              "0x00",
				svc + "body.client_protocol_version":                                "0",
				svc + "body.request_type":                                           "Issue (0)",
				svc + "body.security_mode":                                          "None (1)",
				svc + "body.client_nonce":                                           "(empty)",
				svc + "body.requested_lifetime":                                     "600000 ms",
			},
			absent: []string{ch + "token_id"},
		},
		{
			name: "open secure channel response", dir: ServerToClient,
			data:    pcapgen.UAOpen(7, 52, 1, pcapgen.UAService(pcapgen.UAOpenSecureChannelResponse, pcapgen.UAOpenResponseObject(uaTime, 0, 7, 1, 600000))),
			summary: "OpenSecureChannel message: OpenSecureChannelResponse (449)",
			fields: map[string]string{
				ch + "secure_channel_id":                                       "7",
				svc + "body.response_header.timestamp":                         uaTimeText,
				svc + "body.response_header.service_result":                    "Good (0x00000000)",
				svc + "body.response_header.service_diagnostics.encoding_mask": "0x00",
				svc + "body.response_header.string_table.count":                "-1",
				svc + "body.security_token.channel_id":                         "7",
				svc + "body.security_token.token_id":                           "1",
				svc + "body.security_token.created_at":                         uaTimeText,
				svc + "body.security_token.revised_lifetime":                   "600000 ms",
				svc + "body.server_nonce":                                      "(empty)",
			},
		},
		{
			name: "read request: string, numeric and four-byte NodeIds", dir: ClientToServer,
			data: uaMsg(3, 3, pcapgen.UAReadRequest, func() []byte {
				w := uaW().RequestHeader(session, uaTime, 3, 5000).F64(0).U32(2).I32(3)
				w.StringNodeId(2, "Boiler1.Temperature").U32(13).Null().U16(0).Null()
				w.NumericNodeId(0, 2258).U32(13).Null().U16(0).Null()
				w.NumericNodeId(3, 70000).U32(4).Null().U16(0).Null()
				return w.B
			}()),
			summary: "UA Secure Conversation Message: ReadRequest (631)",
			fields: map[string]string{
				ch + "token_id": "1", ch + "sequence_number": "3", ch + "request_id": "3",
				svc + "body.request_header.authentication_token.encoding_mask": "0x04",
				svc + "body.request_header.authentication_token.id.namespace":  "1",
				svc + "body.request_header.authentication_token.id.guid":       "72962b91-fa75-4ae6-8d28-b404dc7daf63",
				svc + "body.request_header.request_handle":                     "3",
				svc + "body.request_header.timeout_hint":                       "5000 ms",
				svc + "body.max_age":                                           "0 ms",
				svc + "body.timestamps_to_return":                              "Both (2)",
				svc + "body.count":                                             "3",
				svc + "body.nodes_to_read.0.node_id.encoding_mask":             "0x03",
				svc + "body.nodes_to_read.0.node_id.id.namespace":              "2",
				svc + "body.nodes_to_read.0.node_id.id.string":                 `"Boiler1.Temperature"`,
				svc + "body.nodes_to_read.0.attribute_id":                      "Value (13)",
				svc + "body.nodes_to_read.0.data_encoding.namespace_index":     "0",
				svc + "body.nodes_to_read.1.node_id.encoding_mask":             "0x01",
				svc + "body.nodes_to_read.1.node_id.id.numeric":                "2258",
				svc + "body.nodes_to_read.2.node_id.encoding_mask":             "0x02",
				svc + "body.nodes_to_read.2.node_id.id.namespace":              "3",
				svc + "body.nodes_to_read.2.node_id.id.numeric":                "70000",
				svc + "body.nodes_to_read.2.attribute_id":                      "DisplayName (4)",
			},
		},
		{
			name: "write request: opaque NodeId, a Double and an Int32 array", dir: ClientToServer,
			data: uaMsg(4, 4, pcapgen.UAWriteRequest, uaW().RequestHeader(session, uaTime, 4, 0).I32(2).
				OpaqueNodeId(4, []byte{0xde, 0xad}).U32(13).Null().U8(1).U8(0x0B).F64(1).
				NumericNodeId(1, 7).U32(13).Null().U8(0x05).U8(0x86).I32(2).I32(-1).I32(7).DateTime(uaTime).B),
			summary: "UA Secure Conversation Message: WriteRequest (673)",
			fields: map[string]string{
				svc + "body.request_header.request_handle":                       "4",
				svc + "body.nodes_to_write.0.node_id.id.bytestring":              "dead",
				svc + "body.nodes_to_write.0.attribute_id":                       "Value (13)",
				svc + "body.nodes_to_write.0.value.value.type":                   "Double (11)",
				svc + "body.nodes_to_write.0.value.value.value.v.value":          "1",
				svc + "body.nodes_to_write.1.value.value.is_array":               "1",
				svc + "body.nodes_to_write.1.value.value.array.count":            "2",
				svc + "body.nodes_to_write.1.value.value.array.values.0.v.value": "-1",
				svc + "body.nodes_to_write.1.value.source_timestamp":             uaTimeText,
			},
		},
		{
			name: "read response: a LocalizedText, a status only, a null variant", dir: ServerToClient,
			data: uaMsg(5, 5, pcapgen.UAReadResponse, uaW().ResponseHeader(uaTime, 5, 0).I32(3).
				U8(1).U8(21).U8(3).String("en").String("Boiler").
				U8(2).U32(0x80340000).
				U8(1).U8(0).
				I32(-1).B),
			summary: "UA Secure Conversation Message: ReadResponse (634)",
			fields: map[string]string{
				svc + "body.results.0.value.value.v.locale": `"en"`, svc + "body.results.0.value.value.v.text": `"Boiler"`,
				svc + "body.results.1.status":     "BadNodeIdUnknown (0x80340000)",
				svc + "body.results.2.value.type": "Null (0)", svc + "body.diagnostic_infos.count": "-1",
			},
		},
		{
			name: "write response: status codes", dir: ServerToClient,
			data:    uaMsg(6, 6, pcapgen.UAWriteResponse, uaW().ResponseHeader(uaTime, 6, 0).I32(2).U32(0).U32(0x803B0000).I32(-1).B),
			summary: "UA Secure Conversation Message: WriteResponse (676)",
			fields:  map[string]string{svc + "body.results.1": "BadNotWritable (0x803b0000)"},
		},
		{
			name: "create subscription request and response bodies", dir: ClientToServer,
			data:    uaMsg(5, 5, pcapgen.UACreateSubscriptionRequest, uaW().RequestHeader(session, uaTime, 5, 0).F64(500).U32(2400).U32(10).U32(0).U8(1).U8(3).B),
			summary: "UA Secure Conversation Message: CreateSubscriptionRequest (787)",
			fields: map[string]string{
				svc + "body.requested_publishing_interval": "500 ms", svc + "body.requested_lifetime_count": "2400",
				svc + "body.requested_max_keep_alive_count": "10", svc + "body.publishing_enabled": "true", svc + "body.priority": "3",
			},
		},
		{
			name: "create subscription response", dir: ServerToClient,
			data:    uaMsg(5, 5, pcapgen.UACreateSubscriptionResponse, uaW().ResponseHeader(uaTime, 5, 0).U32(12).F64(250).U32(2400).U32(10).B),
			summary: "UA Secure Conversation Message: CreateSubscriptionResponse (790)",
			fields:  map[string]string{svc + "body.subscription_id": "12", svc + "body.revised_publishing_interval": "250 ms"},
		},
		{
			name: "service fault: a bad service result", dir: ServerToClient,
			data:    uaMsg(6, 6, pcapgen.UAServiceFault, uaW().ResponseHeader(uaTime, 6, 0x80780000).B),
			summary: "UA Secure Conversation Message: ServiceFault (397)",
			fields:  map[string]string{svc + "body.response_header.service_result": "BadTooManyPublishRequests (0x80780000)", svc + "body.results": "(empty)"},
		},
		{
			name: "response with diagnostics and a string table", dir: ServerToClient,
			data: uaMsg(7, 7, pcapgen.UAGetEndpointsResponse, uaW().DateTime(uaTime).U32(7).U32(0x80340000).
				U8(0x7F).I32(1).I32(2).I32(3).I32(4).String("info").U32(0x80020000).U8(0x01).I32(9). // diagnostics with an inner one
				I32(2).String("a").Null().NoExtensionObject().I32(0).B),
			summary: "UA Secure Conversation Message: GetEndpointsResponse (431)",
			fields: map[string]string{
				svc + "body.response_header.service_diagnostics.encoding_mask":                     "0x7f",
				svc + "body.response_header.service_diagnostics.symbolic_id":                       "1",
				svc + "body.response_header.service_diagnostics.namespace_uri":                     "2",
				svc + "body.response_header.service_diagnostics.locale":                            "3",
				svc + "body.response_header.service_diagnostics.localized_text":                    "4",
				svc + "body.response_header.service_diagnostics.additional_info":                   `"info"`,
				svc + "body.response_header.service_diagnostics.inner_status_code":                 "BadInternalError (0x80020000)",
				svc + "body.response_header.service_diagnostics.inner_diagnostic_info.symbolic_id": "9",
				svc + "body.response_header.string_table.count":                                    "2",
				svc + "body.response_header.string_table.strings.0.value":                          `"a"`,
				svc + "body.response_header.string_table.strings.1.value":                          `""`,
				svc + "body.endpoints.count":                                                       "0",
			},
		},
		{
			name: "numeric NodeId type and an ExtensionObject with a body", dir: ClientToServer,
			data: pcapgen.UASymmetric("MSG", 'F', 7, 1, 8, 8, uaW().U8(0x02).U16(0).U32(712). // CallRequest

														Raw([]byte{0, 0}).DateTime(uaTime).U32(8).U32(0).Null().U32(0).
														U8(0x01).U8(0).U16(300).U8(1).I32(2).Raw([]byte{0xAA, 0xBB}).I32(0).B),
			summary: "UA Secure Conversation Message: CallRequest (712)",
			fields: map[string]string{
				svc + "type_id.encoding_mask": "0x02", svc + "type_id.numeric": "712",
				svc + "body.request_header.additional_header.type_id.encoding_mask": "0x01",
				svc + "body.request_header.additional_header.type_id.id.numeric":    "300",
				svc + "body.request_header.additional_header.encoding":              "0x01",
				svc + "body.request_header.additional_header.body":                  "aabb",
				svc + "body.count": "0",
			},
		},
		{
			name: "get endpoints request", dir: ClientToServer,
			data:    uaMsg(9, 9, pcapgen.UAGetEndpointsRequest, uaW().RequestHeader([]byte{0, 0}, uaTime, 9, 0).String("opc.tcp://x:4840").I32(1).String("en").I32(-1).B),
			summary: "UA Secure Conversation Message: GetEndpointsRequest (428)",
			fields: map[string]string{
				svc + "body.endpoint_url": `"opc.tcp://x:4840"`, svc + "body.locale_ids.count": "1",
				svc + "body.locale_ids.strings.0.value": `"en"`, svc + "body.profile_uris.count": "-1",
			},
		},
		{
			name: "close session request", dir: ClientToServer,
			data:    uaMsg(9, 9, 473, uaW().RequestHeader(session, uaTime, 9, 0).U8(1).B),
			summary: "UA Secure Conversation Message: CloseSessionRequest (473)",
			fields:  map[string]string{svc + "body.delete_subscriptions": "true"},
		},
		{
			name: "publish request with two acknowledgements", dir: ClientToServer,
			data:    uaMsg(9, 9, pcapgen.UAPublishRequest, uaW().RequestHeader(session, uaTime, 9, 0).I32(2).U32(12).U32(5).U32(12).U32(6).B),
			summary: "UA Secure Conversation Message: PublishRequest (826)",
			fields: map[string]string{
				svc + "body.count": "2", svc + "body.acknowledgements.1.subscription_id": "12", svc + "body.acknowledgements.1.sequence_number": "6",
			},
		},
		{
			name: "browse request", dir: ClientToServer,
			data: uaMsg(9, 9, pcapgen.UABrowseRequest, uaW().RequestHeader(session, uaTime, 9, 0).NumericNodeId(0, 0).U64(0).U32(0).U32(100).I32(1).
				NumericNodeId(0, 85).U32(2).NumericNodeId(0, 33).U8(1).U32(0).U32(0x3F).B),
			summary: "UA Secure Conversation Message: BrowseRequest (527)",
			fields: map[string]string{
				svc + "body.view.view_version": "0", svc + "body.requested_max_references_per_node": "100",
				svc + "body.nodes_to_browse.0.node_id.id.numeric": "85", svc + "body.nodes_to_browse.0.browse_direction": "Both (2)",
				svc + "body.nodes_to_browse.0.reference_type_id.id.numeric": "33", svc + "body.nodes_to_browse.0.include_subtypes": "true",
				svc + "body.nodes_to_browse.0.result_mask": "0x0000003f",
			},
		},
		{
			name: "publish response with a data change notification", dir: ServerToClient,
			data: uaMsg(9, 9, pcapgen.UAPublishResponse, func() []byte {
				note := uaW().I32(1).U32(4).U8(1).U8(6).I32(99).I32(-1).B // one item: handle 4, Int32 99
				w := uaW().ResponseHeader(uaTime, 9, 0).U32(12).I32(1).U32(3).U8(0).U32(3).DateTime(uaTime).I32(1)
				w.U8(0x01).U8(0).U16(811).U8(1).Bytes(note)
				return w.I32(0).I32(-1).B
			}()),
			summary: "UA Secure Conversation Message: PublishResponse (829)",
			fields: map[string]string{
				svc + "body.subscription_id": "12", svc + "body.available_sequence_numbers.0": "3",
				svc + "body.notification_message.publish_time":                                                         uaTimeText,
				svc + "body.notification_message.notification_data.0.body.monitored_items.0.client_handle":             "4",
				svc + "body.notification_message.notification_data.0.body.monitored_items.0.value.value.value.v.value": "99",
			},
		},
		{
			name: "activate session with an anonymous identity token", dir: ClientToServer,
			data: uaMsg(9, 9, pcapgen.UAActivateSessionRequest, uaW().RequestHeader(session, uaTime, 9, 0).Null().Null().I32(-1).I32(1).String("en").
				U8(0x01).U8(0).U16(321).U8(1).Bytes(uaW().String("anonymous").B).Null().Null().B),
			summary: "UA Secure Conversation Message: ActivateSessionRequest (467)",
			fields:  map[string]string{svc + "body.user_identity_token.body.policy_id": `"anonymous"`, svc + "body.locale_ids.strings.0.value": `"en"`},
		},
		{
			name: "call request: a method with a String argument", dir: ClientToServer,
			data: uaMsg(10, 10, uaCallRequest, uaW().RequestHeader(session, uaTime, 10, 0).I32(1).
				NumericNodeId(0, 85).NumericNodeId(1, 62541).I32(1).U8(0x0C).String("Hello Server").B),
			summary: "UA Secure Conversation Message: CallRequest (712)",
			fields: map[string]string{
				svc + "body.methods_to_call.0.object_id.id.numeric":            "85",
				svc + "body.methods_to_call.0.method_id.id.namespace":          "1",
				svc + "body.methods_to_call.0.method_id.id.numeric":            "62541",
				svc + "body.methods_to_call.0.input_arguments.0.type":          "String (12)",
				svc + "body.methods_to_call.0.input_arguments.0.value.v.value": `"Hello Server"`,
			},
		},
		{
			name: "call response: a bad status and an output argument", dir: ServerToClient,
			data: uaMsg(10, 10, uaCallResponse, uaW().ResponseHeader(uaTime, 10, 0).I32(1).
				U32(0x80340000).I32(1).U32(0x80740000).I32(-1).I32(1).U8(0x06).I32(7).I32(-1).B),
			summary: "UA Secure Conversation Message: CallResponse (715)",
			fields: map[string]string{
				svc + "body.results.0.status_code":                      "BadNodeIdUnknown (0x80340000)",
				svc + "body.results.0.input_argument_results.0":         "BadTypeMismatch (0x80740000)",
				svc + "body.results.0.output_arguments.0.value.v.value": "7",
				svc + "body.diagnostic_infos.count":                     "-1",
			},
		},
		{
			name: "add nodes request: a variable with an Int32 value", dir: ClientToServer,
			data: uaMsg(11, 11, uaAddNodesRequest, func() []byte {
				attrs := uaW().U32(0).U8(3).String("en-US").String("Var").U8(2).String("An integer").U32(0).U32(0).
					U8(0x06).I32(1234).NumericNodeId(0, 6).I32(-2).I32(-1).U8(1).U8(0).F64(0).U8(0).B
				return uaW().RequestHeader(session, uaTime, 11, 0).I32(1).
					NumericNodeId(0, 85).NumericNodeId(0, 35).NumericNodeId(1, 0).U16(1).String("VariableNode").U32(2).
					U8(0x01).U8(0).U16(357).U8(1).Bytes(attrs).NumericNodeId(0, 63).B
			}()),
			summary: "UA Secure Conversation Message: AddNodesRequest (488)",
			fields: map[string]string{
				svc + "body.nodes_to_add.0.parent_node_id.id.numeric":                "85",
				svc + "body.nodes_to_add.0.browse_name.name":                         `"VariableNode"`,
				svc + "body.nodes_to_add.0.node_class":                               "Variable (2)",
				svc + "body.nodes_to_add.0.node_attributes.body.display_name.locale": `"en-US"`,
				svc + "body.nodes_to_add.0.node_attributes.body.description.text":    `"An integer"`,
				svc + "body.nodes_to_add.0.node_attributes.body.value.value.v.value": "1234",
				svc + "body.nodes_to_add.0.node_attributes.body.value_rank":          "-2",
				svc + "body.nodes_to_add.0.node_attributes.body.dimensions_count":    "-1",
				svc + "body.nodes_to_add.0.node_attributes.body.historizing":         "false",
				svc + "body.nodes_to_add.0.type_definition.id.numeric":               "63",
			},
		},
		{
			name: "add nodes request: a reference type", dir: ClientToServer,
			data: uaMsg(11, 11, uaAddNodesRequest, func() []byte {
				attrs := uaW().U32(0).U8(2).String("NewReference").U8(0).U32(0).U32(0).U8(0).U8(1).U8(2).String("IsReferencedBy").B
				return uaW().RequestHeader(session, uaTime, 11, 0).I32(1).
					NumericNodeId(0, 35).NumericNodeId(0, 45).NumericNodeId(1, 12133).U16(1).String("NewReference").U32(32).
					U8(0x01).U8(0).U16(369).U8(1).Bytes(attrs).NumericNodeId(0, 0).B
			}()),
			summary: "UA Secure Conversation Message: AddNodesRequest (488)",
			fields: map[string]string{
				svc + "body.nodes_to_add.0.node_class":                                     "ReferenceType (32)",
				svc + "body.nodes_to_add.0.node_attributes.body.symmetric":                 "true",
				svc + "body.nodes_to_add.0.node_attributes.body.inverse_name.text":         `"IsReferencedBy"`,
				svc + "body.nodes_to_add.0.node_attributes.body.description.encoding_mask": "0x00",
			},
		},
		{
			name: "add nodes response", dir: ServerToClient,
			data:    uaMsg(11, 11, uaAddNodesResponse, uaW().ResponseHeader(uaTime, 11, 0).I32(1).U32(0).NumericNodeId(1, 50000).I32(-1).B),
			summary: "UA Secure Conversation Message: AddNodesResponse (491)",
			fields: map[string]string{
				svc + "body.results.0.status_code": "Good (0x00000000)", svc + "body.results.0.added_node_id.id.numeric": "50000",
			},
		},
		{
			name: "translate browse paths request and response", dir: ClientToServer,
			data: uaMsg(12, 12, uaTranslateBrowsePathsRequest, uaW().RequestHeader(session, uaTime, 12, 0).I32(1).
				NumericNodeId(0, 84).I32(2).NumericNodeId(0, 33).U8(0).U8(1).U16(0).String("Objects").
				NumericNodeId(0, 33).U8(1).U8(0).U16(2).String("MyObject").B),
			summary: "UA Secure Conversation Message: TranslateBrowsePathsToNodeIdsRequest (554)",
			fields: map[string]string{
				svc + "body.browse_paths.0.starting_node.id.numeric":    "84",
				svc + "body.browse_paths.0.elements.0.include_subtypes": "true",
				svc + "body.browse_paths.0.elements.1.is_inverse":       "true",
				svc + "body.browse_paths.0.elements.1.target_name.name": `"MyObject"`,
			},
		},
		{
			name: "translate browse paths response", dir: ServerToClient,
			data: uaMsg(12, 12, uaTranslateBrowsePathsResponse, uaW().ResponseHeader(uaTime, 12, 0).I32(1).
				U32(0).I32(1).NumericNodeId(2, 70000).U32(0xFFFFFFFF).I32(-1).B),
			summary: "UA Secure Conversation Message: TranslateBrowsePathsToNodeIdsResponse (557)",
			fields: map[string]string{
				svc + "body.results.0.targets.0.target_id.id.namespace": "2",
				svc + "body.results.0.targets.0.target_id.id.numeric":   "70000",
				svc + "body.results.0.targets.0.remaining_path_index":   "4294967295",
			},
		},
		{
			name: "delete subscriptions request and response", dir: ClientToServer,
			data:    uaMsg(13, 13, uaDeleteSubscriptionsRequest, uaW().RequestHeader(session, uaTime, 13, 0).I32(2).U32(12).U32(13).B),
			summary: "UA Secure Conversation Message: DeleteSubscriptionsRequest (847)",
			fields:  map[string]string{svc + "body.count": "2", svc + "body.subscription_ids.1": "13"},
		},
		{
			name: "delete subscriptions response", dir: ServerToClient,
			data:    uaMsg(13, 13, uaDeleteSubscriptionsResponse, uaW().ResponseHeader(uaTime, 13, 0).I32(1).U32(0).I32(-1).B),
			summary: "UA Secure Conversation Message: DeleteSubscriptionsResponse (850)",
			fields:  map[string]string{svc + "body.results.0": "Good (0x00000000)"},
		},
		{
			name: "a type id in another namespace is not a service", dir: ClientToServer,
			data:    pcapgen.UASymmetric("MSG", 'F', 7, 1, 9, 9, uaW().StringNodeId(2, "MyType").Raw([]byte{1, 2}).B),
			summary: "UA Secure Conversation Message: Unknown (0)",
			fields:  map[string]string{svc + "type_id.string": `"MyType"`, svc + "body.data": "0102"},
		},
		{
			name: "ByteString type id with an expanded namespace URI and server index", dir: ClientToServer,
			data:    pcapgen.UASymmetric("MSG", 'F', 7, 1, 9, 9, uaW().U8(0xC5).U16(1).Bytes([]byte{9}).String("urn:x").U32(3).B),
			summary: "UA Secure Conversation Message: Unknown (0)",
			fields:  map[string]string{svc + "type_id.bytestring": "09", svc + "type_id.namespace_uri": `"urn:x"`, svc + "type_id.server_index": "3"},
		},
		{
			name: "close secure channel", dir: ClientToServer,
			data:    pcapgen.UASymmetric("CLO", 'F', 7, 1, 10, 10, pcapgen.UAService(pcapgen.UACloseSecureChannelRequest, uaW().RequestHeader(session, uaTime, 10, 0).B)),
			summary: "CloseSecureChannel message: CloseSecureChannelRequest (452)",
			fields:  map[string]string{"message_type": `"CLO"`, ch + "token_id": "1", svc + "body.parameters": "(empty)"},
		},
		{
			name: "abort chunk", dir: ClientToServer,
			data:    pcapgen.UASymmetric("MSG", 'A', 7, 1, 11, 11, uaW().U32(0x80080000).String("too big").B),
			summary: "UA Secure Conversation Message [abort: BadEncodingLimitsExceeded (0x80080000)]",
			fields:  map[string]string{"chunk_type": `"A"`, ch + "abort_body.reason": `"too big"`},
			absent:  []string{ch + "service"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkOneFrame(t, reg, "opcua", tc.dir, tc.data, tc.summary, tc.fields, tc.absent)
		})
	}
}

// uaChunks cuts a message body into MSG chunks of request id reqID, at
// the given offsets, with sequence numbers from seq on: intermediate
// chunks, then a final one.
func uaChunks(body []byte, seq, reqID uint32, cuts ...int) [][]byte {
	var out [][]byte
	start := 0
	for i, end := range append(cuts, len(body)) {
		kind := byte('C')
		if i == len(cuts) {
			kind = 'F'
		}
		out = append(out, pcapgen.UASymmetric("MSG", kind, 7, 1, seq+uint32(i), reqID, body[start:end]))
		start = end
	}
	return out
}

// A message sent in several chunks is joined, per direction, and its body
// decoded once whole as an opcua_msg record after the final chunk; the
// final chunk pairs with the response by request id. An abort chunk, a
// lost chunk (a gap in the sequence numbers) and a message over the limit
// give a skipped record with the bytes of the chunks that make no message.
func TestOPCUAJoinedChunks(t *testing.T) {
	reg := libraryRegistry(t)
	w := uaW().RequestHeader([]byte{0, 0}, uaTime, 1, 0).NumericNodeId(0, 0).U64(0).U32(0).U32(0).I32(2)
	w.NumericNodeId(0, 85).U32(0).NumericNodeId(0, 33).U8(1).U32(0).U32(0x3F)
	w.NumericNodeId(0, 2253).U32(0).NumericNodeId(0, 33).U8(1).U32(0).U32(0x3F)
	body := pcapgen.UAService(pcapgen.UABrowseRequest, w.B)
	two := uaChunks(body, 2, 5, 20)
	three := uaChunks(body, 2, 5, 20, 45)
	resp := uaMsg(4, 5, pcapgen.UABrowseResponse, uaW().ResponseHeader(uaTime, 1, 0).I32(0).I32(-1).B)
	after := uaMsg(9, 6, pcapgen.UAReadRequest, uaW().RequestHeader([]byte{0, 0}, uaTime, 2, 0).F64(0).U32(0).I32(0).B)
	abort := pcapgen.UASymmetric("MSG", 'A', 7, 1, 4, 5, uaW().U32(0x80AC0000).String("too large").B)
	respBody := pcapgen.UAService(pcapgen.UABrowseResponse, uaW().ResponseHeader(uaTime, 1, 0).I32(0).I32(-1).B)
	respChunks := uaChunks(respBody, 30, 5, 10)
	// Over the limit: 17 chunks of almost 1 MiB, then a final one.
	bigBody := make([]byte, 17*(1<<20-24)+1)
	var cuts []int
	for c := 1<<20 - 24; c < len(bigBody); c += 1<<20 - 24 {
		cuts = append(cuts, c)
	}
	big := uaChunks(bigBody, 100, 9, cuts...)
	const whole = "UA Secure Conversation Message: BrowseRequest (527)"
	type rec struct {
		kind   string // proto and kind
		text   string // part of the summary or error
		length int    // bytes, where checked (0: not)
	}
	tests := []struct {
		name   string
		chunks []chunk
		want   []rec
	}{
		{"two chunks, then the response and another request", []chunk{
			{ClientToServer, two[0]}, {ClientToServer, two[1]}, {ServerToClient, resp}, {ClientToServer, after},
		}, []rec{
			{"opcua frame", whole + " [chunk of 20 bytes]", 0},
			{"opcua frame", "UA Secure Conversation Message [chunk of ", 0},
			{"opcua_msg frame", whole, len(body)},
			{"opcua frame", "BrowseResponse (530)", 0},
			{"opcua frame", "ReadRequest (631)", 0},
		}},
		{"three chunks", []chunk{
			{ClientToServer, three[0]}, {ClientToServer, three[1]}, {ClientToServer, three[2]},
		}, []rec{
			{"opcua frame", whole + " [chunk of 20 bytes]", 0},
			{"opcua frame", "UA Secure Conversation Message [chunk of 25 bytes]", 0},
			{"opcua frame", "UA Secure Conversation Message [chunk of ", 0},
			{"opcua_msg frame", whole, len(body)},
		}},
		{"a response in two chunks, a request between them", []chunk{
			{ServerToClient, respChunks[0]}, {ClientToServer, after}, {ServerToClient, respChunks[1]},
		}, []rec{
			{"opcua frame", "BrowseResponse (530) [chunk of 10 bytes]", 0},
			{"opcua frame", "ReadRequest (631)", 0},
			{"opcua frame", "[chunk of ", 0},
			{"opcua_msg frame", "UA Secure Conversation Message: BrowseResponse (530)", len(respBody)},
		}},
		{"abort, then a message in one chunk", []chunk{
			{ClientToServer, three[0]}, {ClientToServer, three[1]}, {ClientToServer, abort}, {ClientToServer, after},
		}, []rec{
			{"opcua frame", whole + " [chunk of 20 bytes]", 0},
			{"opcua frame", "[chunk of 25 bytes]", 0},
			{"opcua frame", "[abort: ", 0},
			{"opcua_msg skipped", "message aborted by the sender after 2 pieces", 45},
			{"opcua frame", "ReadRequest (631)", 0},
		}},
		{"middle chunk lost", []chunk{
			{ClientToServer, three[0]}, {ClientToServer, three[2]}, {ClientToServer, after},
		}, []rec{
			{"opcua frame", whole + " [chunk of 20 bytes]", 0},
			{"opcua frame", "[chunk of ", 0},
			{"opcua_msg skipped", "piece out of sequence: expected 3, got 4", len(body) - 25},
			{"opcua frame", "ReadRequest (631)", 0},
		}},
		{"the connection ends before the final chunk", []chunk{
			{ClientToServer, three[0]}, {ClientToServer, three[1]},
		}, []rec{
			{"opcua frame", whole + " [chunk of 20 bytes]", 0},
			{"opcua frame", "[chunk of 25 bytes]", 0},
			{"opcua_msg skipped", "incomplete message: the connection ended before its last piece (2 pieces joined)", 45},
		}},
	}
	var bigWant []rec
	for range big {
		bigWant = append(bigWant, rec{"opcua frame", "[chunk of ", 0})
	}
	bigWant = append(bigWant, rec{"opcua_msg skipped", "joined message of " + strconv.Itoa(len(bigBody)) + " bytes is over the limit of 16777216", len(bigBody)})
	var bigChunks []chunk
	for _, c := range big {
		bigChunks = append(bigChunks, chunk{ClientToServer, c})
	}
	tests = append(tests, struct {
		name   string
		chunks []chunk
		want   []rec
	}{"a message over the limit", bigChunks, bigWant})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var recs []decodedFrame
			for _, r := range decodeChunks(t, reg, "opcua", tc.chunks) {
				if r.Kind != KindUnanswered {
					recs = append(recs, r)
				}
			}
			if len(recs) != len(tc.want) {
				t.Fatalf("%d records, want %d: %v", len(recs), len(tc.want), recs)
			}
			for i, r := range recs {
				want := tc.want[i]
				text := r.Summary
				if r.Err != "" {
					text = r.Err
				}
				if got := r.Proto + " " + r.Kind.String(); got != want.kind || !strings.Contains(text, want.text) {
					t.Errorf("record %d: %s %q\nwant %s containing %q", i, got, text, want.kind, want.text)
				}
				if r.Kind == KindFrame && r.Err != "" {
					t.Errorf("record %d: %v", i, r)
				}
				if want.length != 0 && r.Length != want.length {
					t.Errorf("record %d: %d bytes, want %d", i, r.Length, want.length)
				}
				if r.Proto == "opcua_msg" && r.Kind == KindFrame && strings.Contains(r.Summary, "BrowseRequest") {
					if got := r.Field(t, "service.body.nodes_to_browse.1.node_id"); !strings.Contains(got, "2253") {
						t.Errorf("second node to browse %q, want 2253", got)
					}
				}
			}
			if tc.name == "two chunks, then the response and another request" {
				if recs[1].Pair.Status != PairRequest || recs[1].Pair.Key != 5 {
					t.Errorf("final chunk pair %+v, want a request with key 5", recs[1].Pair)
				}
				if recs[3].Pair.Status != PairMatched || recs[3].Pair.Key != 5 {
					t.Errorf("response pair %+v, want matched with key 5", recs[3].Pair)
				}
			}
		})
	}
}

// With a sender certificate, the channel is secured: later bodies are
// signed and encrypted, and shown as bytes rather than misread.
func TestOPCUASecuredChannel(t *testing.T) {
	reg := libraryRegistry(t)
	w := uaW().U32(0).String("http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256").Bytes([]byte{0x30, 0x82, 0x01}).Bytes(make([]byte, 20))
	w.Raw([]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99}) // encrypted sequence header and body
	opn := pcapgen.UAMessage("OPN", 'F', w.B)
	msg := pcapgen.UASymmetric("MSG", 'F', 7, 1, 0xA1B2C3D4, 0x01020304, []byte{0xEE, 0xFF})
	recs := decodeChunks(t, reg, "opcua", []chunk{{ClientToServer, cat(opn, msg)}})
	if len(recs) < 2 || recs[0].Err != "" || recs[1].Err != "" {
		t.Fatalf("records %v", recs)
	}
	if got := recs[0].Field(t, "body.channel.asymmetric.sender_certificate"); got != "308201" {
		t.Errorf("certificate %q", got)
	}
	for _, r := range recs[:2] {
		if _, ok := r.Fields["body.channel.service"]; ok {
			t.Errorf("%v: a secured body decoded as a service", r)
		}
		if _, ok := r.Fields["body.channel.chunk.data"]; !ok {
			t.Errorf("%v: no chunk bytes", r)
		}
	}
}

// Every way of cutting a stream of several messages gives the same
// records.
func TestOPCUAEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := cat(
		pcapgen.UAHello("opc.tcp://x"),
		pcapgen.UAOpen(0, 1, 1, pcapgen.UAService(pcapgen.UAOpenSecureChannelRequest, pcapgen.UAOpenRequestObject(uaTime, 0, 1000))),
		uaMsg(2, 2, pcapgen.UAReadRequest, uaW().RequestHeader([]byte{0, 0}, uaTime, 2, 0).F64(0).U32(0).I32(1).
			StringNodeId(1, "n").U32(13).Null().U16(0).Null().B),
	)
	recs := checkEverySplit(t, reg, "opcua", ClientToServer, stream)
	checkRecordRun(t, recs, []string{"frame ", "frame ", "frame "}, len(stream))
}

// Malformed and hostile input: clear errors, every byte accounted for.
func TestOPCUAMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	hello := pcapgen.UAHello("opc.tcp://x")
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{
			name: "string length beyond the message",
			data: func() []byte {
				b := append([]byte(nil), hello...)
				binary.LittleEndian.PutUint32(b[28:], 0x7FFFFFF0)
				return b
			}(),
			want: []string{"frame out of range"},
		},
		{
			name: "string length -2",
			data: func() []byte {
				b := append([]byte(nil), hello...)
				binary.LittleEndian.PutUint32(b[28:], 0xFFFFFFFE)
				return b
			}(),
			want: []string{"frame out of range"},
		},
		{
			name: "unknown message type",
			data: pcapgen.UAMessage("XYZ", 'F', []byte{1, 2, 3, 4}),
			want: []string{"frame no matching case"},
		},
		{
			name: "NodeId encoding 9",
			data: pcapgen.UASymmetric("MSG", 'F', 7, 1, 1, 1, []byte{0x09, 0, 0}),
			want: []string{"frame unknown NodeId encoding"},
		},
		{
			name: "unknown Variant type",
			data: uaMsg(1, 1, pcapgen.UAReadResponse, uaW().ResponseHeader(uaTime, 1, 0).I32(1).U8(1).U8(30).B),
			want: []string{"frame unknown Variant type"},
		},
		{
			name: "Variants nested without end",
			data: uaMsg(1, 1, pcapgen.UAReadResponse, append(uaW().ResponseHeader(uaTime, 1, 0).I32(1).U8(1).B, bytes.Repeat([]byte{24}, 500)...)),
			want: []string{"frame limit reached"},
		},
		{
			name: "request header cut short",
			data: uaMsg(1, 1, pcapgen.UAReadRequest, []byte{0, 0, 1, 2}),
			want: []string{"frame "},
		},
		{
			name: "a size below the header: bytes skipped, then a good message",
			data: cat([]byte{'H', 'E', 'L', 'F', 4, 0, 0, 0}, hello),
			want: []string{"skipped framing length is out of range", "frame "},
		},
		{
			name: "message cut by the end of the stream",
			data: hello[:20],
			want: []string{"frame stream ended before the frame was complete"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "opcua", []chunk{{ClientToServer, tc.data}})
			if tc.name == "request header cut short" {
				if len(recs) == 0 || recs[0].Err == "" {
					t.Fatalf("records %v, want a decode error", recs)
				}
				return
			}
			checkRecordRun(t, recs, tc.want, len(tc.data))
		})
	}
}

// Joining the chunks of OPC UA messages allocates nothing once the
// buffers have grown: b.N Browse requests of three chunks each, joined and
// decoded, with their responses, on one connection.
func BenchmarkOPCUAJoinedChunks(b *testing.B) {
	reg := libraryRegistry(b)
	d, _ := reg.ByName("opcua")
	w := uaW().RequestHeader([]byte{0, 0}, uaTime, 1, 0).NumericNodeId(0, 0).U64(0).U32(0).U32(0).I32(1)
	w.NumericNodeId(0, 85).U32(0).NumericNodeId(0, 33).U8(1).U32(0).U32(0x3F)
	body := pcapgen.UAService(pcapgen.UABrowseRequest, w.B)
	resp := uaMsg(1, 5, pcapgen.UABrowseResponse, uaW().ResponseHeader(uaTime, 1, 0).I32(0).I32(-1).B)
	sink := &nopSink{}
	conn := d.NewConnection(&Conn{Transport: "tcp"}, sink)
	// A message's first chunk sets the sequence it expects: the same three
	// chunks can be sent again and again.
	var req []byte
	for _, c := range uaChunks(body, 2, 5, 20, 40) {
		req = append(req, c...)
	}
	// The locators are made once: a locator made per call would be
	// converted to an interface, and allocate, in the benchmark itself.
	var reqLoc, respLoc PacketLocator = feedLoc{1}, feedLoc{2}
	b.SetBytes(int64(len(req) + len(resp)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := conn.Feed(ClientToServer, req, reqLoc, false); err != nil {
			b.Fatal(err)
		}
		if err := conn.Feed(ServerToClient, resp, respLoc, false); err != nil {
			b.Fatal(err)
		}
	}
}
