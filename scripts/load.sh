# Sourced by bench.sh and pgo.sh, which measure and profile dissect on the
# same generated captures.

# help_text SCRIPT: prints SCRIPT's header comment, which is its --help.
help_text() { sed -n '2,/^set -e/p' "$1" | sed '$d' | sed 's/^# \{0,1\}//'; }

# load_capture PCAPGEN FILE PACKETS: writes FILE, unless it is there
# already, with about PACKETS packets of Modbus/TCP over 500 interleaved
# connections: whole, split, chunked, pipelined and coalesced PDUs
# (cmd/pcapgen -load, PCAPGEN being its binary).
load_capture() { [ -s "$2" ] || "$1" -load "$3" -conns 500 -o "$2"; }
