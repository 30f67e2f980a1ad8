//go:build !race

package capture

// raceEnabled is set when the race detector is on: it makes allocation
// counts meaningless.
const raceEnabled = false
