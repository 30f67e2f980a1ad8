#!/usr/bin/env python3
"""Compares dissect's decoding of a capture with tshark's.

usage: compare.py DISSECT PCAP PROTO

For each field of FIELDS[PROTO] (a Wireshark field name and the path of the
same field in dissect's ndjson output, as the schema's ws= attribute maps
them, and optionally a condition: another path the record must have, or
"nonzero" where tshark leaves out zero values), the values of every frame,
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
        ("mysql.protocol", "body.protocol_version"),
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
        ("mysql.field.charsetnr", "body.charset", "body.column_length"),
    ],
    "amqp": [
        ("amqp.type", "type.value"),
        ("amqp.channel", "channel"),
        ("amqp.length", "size"),
        ("amqp.method.class", "payload.class_id.value"),
        ("amqp.method.method", "payload.method_id"),
    ],
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
    if s.startswith("0x"):
        return str(int(s, 16))
    return s


def main():
    dissect, pcap, proto = sys.argv[1:4]
    fields = FIELDS.get(proto, [])
    out = subprocess.run([dissect, "-q", "-r", pcap, "-T", "ndjson"], capture_output=True, text=True, check=True).stdout
    recs = [json.loads(l) for l in out.splitlines() if l.strip()]
    recs = [r for r in recs if r.get("event", {}).get("kind") == "frame"]
    wsname = {"memcache": "memcache", "mysql": "mysql", "amqp": "amqp"}.get(proto, proto)
    bad = 0
    for ws, path, *cond in fields:
        ours = []
        for r in recs:
            body = next((v for k, v in r.items() if k.startswith(proto)), None)
            v = get(body, path) if body else None
            if v is None:
                continue
            if cond and cond[0] == "nonzero" and norm(v) == "0":
                continue
            if cond and cond[0] != "nonzero" and get(body, cond[0]) is None:
                continue
            ours += [norm(x) for x in v] if isinstance(v, list) else [norm(v)]
        sep = "\x1e"
        tf = subprocess.run(["tshark", "-n", "-r", pcap, "-Y", wsname, "-T", "fields", "-E", "occurrence=a",
                             "-E", "aggregator=" + sep, "-e", ws], capture_output=True, text=True).stdout
        theirs = []
        for line in tf.splitlines():
            if line.strip():
                theirs += [norm(x) for x in line.split(sep)]
        ok = ours == theirs
        bad += not ok
        print(f"{'ok  ' if ok else 'DIFF'} {ws:32} dissect {len(ours):4} values, tshark {len(theirs):4}")
        if not ok:
            for i, (a, b) in enumerate(zip(ours, theirs)):
                if a != b:
                    print(f"       first difference at value {i}: dissect {a!r}, tshark {b!r}")
                    break
    sys.exit(1 if bad else 0)


main()
