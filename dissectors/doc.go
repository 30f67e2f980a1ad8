// Package dissectors turns byte streams and datagrams into decoded records.
//
// It holds the Dissector interface; the Registry that chooses a dissector
// for a connection by port, by --decode-as rule or by name; and the adapter
// that runs a compiled schema over a TCP byte stream: it finds frame
// boundaries with the schema's framing rule, keeps an incomplete frame until
// the rest arrives, decodes many frames from one segment, resynchronises
// after garbage, a gap or a mid-stream start, and reports every byte it
// could not decode.
//
// It knows nothing of packets or capture files: the caller hands it bytes,
// with a way to find which packet carried each byte. Bundled schemas live
// in the library subpackage and are embedded in the binary.
package dissectors
