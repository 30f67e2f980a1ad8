#!/usr/bin/env python3
"""Compares dissect's decoding of a capture with tshark's.

usage: compare.py DISSECT PCAP PROTO

For each field of FIELDS[PROTO] (a Wireshark field name and the path of the
same field in dissect's ndjson output, as the schema's ws= attribute maps
them, and optionally a condition: another path the record must have, or
"nonzero" where tshark leaves out zero values and empty strings, or "hex"
where tshark shows text as bytes), the values of every frame,
in capture order, must be the same in both tools. Prints one line per field and exits 1 on a difference.
"""
import json
import subprocess
import sys

FIELDS = {
    "memcache": [
        ("memcache.magic", "magic.value"),
        ("memcache.opcode", "opcode.value"),
        ("memcache.key.length", "key_length"),
        ("memcache.extras.length", "extras_length"),
        ("memcache.total_body_length", "total_body_length"),
        ("memcache.opaque", "opaque"),
        ("memcache.cas", "cas"),
        ("memcache.status", "status.value"),
        ("memcache.key", "key"),
        ("memcache.extras.flags", "extras.flags"),
        ("memcache.extras.expiration", "extras.expiration"),
        ("memcache.extras.delta", "extras.delta"),
        ("memcache.extras.initial", "extras.initial"),
        ("memcache.extras.response", "counter"),
    ],
    "mysql": [
        ("mysql.packet_length", "length"),
        ("mysql.packet_number", "sequence"),
        ("mysql.protocol", "body.protocol"),
        ("mysql.thread_id", "body.connection_id"),
        ("mysql.caps.server", "body.capabilities.value", "body.server_version"),
        ("mysql.extcaps.server", "body.ext_capabilities.value", "body.server_version"),
        ("mysql.caps.client", "body.capabilities.value", "body.username"),
        ("mysql.user", "body.username"),
        ("mysql.schema", "body.schema|body.body.schema"),
        ("mysql.client_auth_plugin", "body.auth_plugin", "body.username"),
        ("mysql.query", "body.body.query"),
        ("mysql.affected_rows", "body.affected_rows"),
        ("mysql.insert_id", "body.last_insert_id", "nonzero"),
        ("mysql.error_code", "body.error_code"),
        ("mysql.sqlstate", "body.sql_state.state"),
        ("mysql.num_fields", "body.count|body.columns"),
        ("mysql.field.name", "body.name"),
        ("mysql.field.type", "body.type.value|body.body.types.*.type.value"),
        ("mysql.field.length", "body.column_length"),
        ("mysql.exec.field.long", "body.body.values.*.value.value"),
        ("mysql.field.charsetnr", "body.charset", "body.column_length"),
    ],
    "mongodb": [
        ("mongo.message_length", "header.length"),
        ("mongo.request_id", "header.request_id"),
        ("mongo.response_to", "header.response_to"),
        ("mongo.opcode", "header.opcode.value"),
        ("mongo.full_collection_name", "body.full_collection_name"),
        ("mongo.number_returned", "body.number_returned"),
        ("mongo.msg.sections.section.kind", "body.sections.*.kind.value|body.original.sections.*.kind.value"),
        ("mongo.msg.sections.section.doc_sequence_id", "body.sections.*.content.identifier"),
        ("mongo.compression.original_opcode", "body.original_opcode.value"),
        ("mongo.compression.compressor", "body.compressor.value"),
    ],
    "cassandra": [
        ("cql.protocol_version", "frame.header.protocol_version"),
        ("cql.stream", "frame.header.stream"),
        ("cql.opcode", "frame.header.opcode.value"),
        ("cql.message_length", "frame.header.length"),
        ("cql.flags.tracing", "frame.header.flags.tracing"),
        ("cql.flags.warning", "frame.header.flags.warning"),
        ("cql.consistency", "frame.body.message.parameters.consistency.value|frame.body.message.consistency.value"),
        ("cql.query.flags", "frame.body.message.parameters.flags"),
        ("cql.page_size", "frame.body.message.parameters.page_size"),
        ("cql.result.kind", "frame.body.message.kind.value"),
        ("cql.error_code", "frame.body.message.code.value"),
        ("cql.query_id", "frame.body.message.id.id|frame.body.message.content.id.id|frame.body.message.queries.*.statement.id"),
        ("cql.batch_type", "frame.body.message.type.value", "frame.body.message.queries"),
        ("cql.batch_query_size", "frame.body.message.count", "frame.body.message.queries"),
        ("cql.result.rows.column_count", "frame.body.message.content.metadata.column_count", "frame.body.message.content.row_count"),
    ],
    "amqp": [
        ("amqp.type", "frame.type.value"),
        ("amqp.channel", "frame.channel"),
        ("amqp.length", "frame.size"),
        ("amqp.method.class", "frame.payload.class_id.value", "frame.payload.method_id"),
        ("amqp.method.method", "frame.payload.method_id"),
        ("amqp.method.arguments.version_minor", "frame.payload.arguments.version_minor"),
        ("amqp.method.arguments.mechanisms", "frame.payload.arguments.mechanisms.value", "hex"),
        ("amqp.method.arguments.mechanism", "frame.payload.arguments.mechanism.value"),
        ("amqp.method.arguments.channel_max", "frame.payload.arguments.channel_max"),
        ("amqp.method.arguments.frame_max", "frame.payload.arguments.frame_max"),
        ("amqp.method.arguments.heartbeat", "frame.payload.arguments.heartbeat"),
        ("amqp.method.arguments.virtual_host", "frame.payload.arguments.virtual_host.value"),
        ("amqp.method.arguments.exchange", "frame.payload.arguments.exchange.value", "nonzero"),
        ("amqp.method.arguments.routing_key", "frame.payload.arguments.routing_key.value"),
        ("amqp.method.arguments.queue", "frame.payload.arguments.queue.value"),
        ("amqp.method.arguments.consumer_tag", "frame.payload.arguments.consumer_tag.value", "nonzero"),
        ("amqp.method.arguments.delivery_tag", "frame.payload.arguments.delivery_tag"),
        ("amqp.method.arguments.message_count", "frame.payload.arguments.message_count"),
        ("amqp.method.arguments.reply_code", "frame.payload.arguments.reply_code.value"),
        ("amqp.method.arguments.reply_text", "frame.payload.arguments.reply_text.value"),
        ("amqp.method.arguments.durable", "frame.payload.arguments.bits.durable"),
        ("amqp.method.arguments.no_ack", "frame.payload.arguments.bits.no_ack"),
        ("amqp.method.arguments.mandatory", "frame.payload.arguments.bits.mandatory"),
        ("amqp.method.arguments.redelivered", "frame.payload.arguments.bits.redelivered"),
        ("amqp.header.class", "frame.payload.class_id.value", "frame.payload.body_size"),
        ("amqp.header.body-size", "frame.payload.body_size"),
        ("amqp.header.property-flags", "frame.payload.property_flags.value"),
        ("amqp.method.properties.content_type", "frame.payload.content_type.value"),
        ("amqp.method.properties.content_encoding", "frame.payload.content_encoding.value"),
        ("amqp.method.properties.delivery_mode", "frame.payload.delivery_mode.value"),
        ("amqp.method.properties.message_id", "frame.payload.message_id.value"),
        ("amqp.payload", "frame.payload.payload"),
    ],
}


# Differences that are tshark 4.0's, as docs/protocols-messaging.md shows:
# reported as "known", not failures.
KNOWN = {
    ("memcache", "memcache.key"): "tshark shows the key of a Get Key miss as the value",
    ("memcache", "memcache.extras.flags"): "tshark does not decode the extras of Touch and Get And Touch",
    ("memcache", "memcache.extras.expiration"): "tshark does not decode the extras of Touch and Get And Touch",
    ("mongodb", "mongo.msg.sections.section.kind"): "tshark reads an OP_MSG checksum as a section of kind -42",
    ("cassandra", "cql.result.kind"): "tshark does not skip the tracing id of a traced response",
    ("cassandra", "cql.protocol_version"): "tshark does not decode protocol v5",
    ("cassandra", "cql.stream"): "tshark does not decode protocol v5",
    ("cassandra", "cql.opcode"): "tshark does not decode protocol v5",
    ("cassandra", "cql.message_length"): "tshark does not decode protocol v5",
    ("cassandra", "cql.flags.tracing"): "tshark does not decode protocol v5",
    ("cassandra", "cql.flags.warning"): "tshark does not decode protocol v5",
}


def get(obj, path):
    """The value at a dotted path; "a|b" tries each path; "*" in a path
    goes through every element of an array, and gives a list."""
    for alt in path.split("|"):
        v = get1(obj, alt.split("."))
        if v is not None:
            return v
    return None


def get1(obj, parts):
    for i, part in enumerate(parts):
        if part == "*" and isinstance(obj, list):
            out = []
            for e in obj:
                v = get1(e, parts[i + 1:])
                out += v if isinstance(v, list) else [v] if v is not None else []
            return out or None
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return None if isinstance(obj, dict) else obj


def norm(v):
    if isinstance(v, bool):
        return str(int(v))
    s = str(v)
    if s in ("True", "False"):
        return "1" if s == "True" else "0"
    if s.startswith("0x"):
        return str(int(s, 16))
    return s


def main():
    dissect, pcap, proto = sys.argv[1:4]
    fields = FIELDS.get(proto, [])
    out = subprocess.run([dissect, "-q", "-r", pcap, "-T", "ndjson"], capture_output=True, text=True, check=True).stdout
    recs = [json.loads(l) for l in out.splitlines() if l.strip()]
    recs = [r for r in recs if r.get("event", {}).get("kind") == "frame"]
    wsname = {"mongodb": "mongo", "cassandra": "cql"}.get(proto, proto)
    bad = 0
    for ws, path, *cond in fields:
        ours = []
        for r in recs:
            body = next((v for k, v in r.items() if k.startswith(proto)), None)
            v = get(body, path) if body else None
            if v is None:
                continue
            if cond and cond[0] == "nonzero" and norm(v) in ("0", ""):
                continue
            if cond and cond[0] == "hex":
                v = str(v).encode().hex()
            elif cond and cond[0] != "nonzero" and get(body, cond[0]) is None:
                continue
            ours += [norm(x) for x in v] if isinstance(v, list) else [norm(v)]
        sep = "\x1e"
        decode_as = ["-d", "tcp.port==27017,mongo"] if proto == "mongodb" else []
        tf = subprocess.run(["tshark", "-n", "-r", pcap, *decode_as, "-Y", wsname, "-T", "fields", "-E", "occurrence=a",
                             "-E", "aggregator=" + sep, "-e", ws], capture_output=True, text=True).stdout
        theirs = []
        for line in tf.splitlines():
            if line.strip():
                theirs += [norm(x) for x in line.split(sep)]
        ok = ours == theirs
        known = not ok and (proto, ws) in KNOWN
        bad += not ok and not known
        status = "ok  " if ok else "known" if known else "DIFF"
        print(f"{status} {ws:32} dissect {len(ours):4} values, tshark {len(theirs):4}" + (f" ({KNOWN[(proto, ws)]})" if known else ""))
        if not ok:
            for i, (a, b) in enumerate(zip(ours, theirs)):
                if a != b:
                    print(f"       first difference at value {i}: dissect {a!r}, tshark {b!r}")
                    break
    sys.exit(1 if bad else 0)


main()
