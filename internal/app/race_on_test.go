//go:build race

package app_test

// raceDetector: the race pass runs the concurrency tests with fewer tickets (the detector
// makes each close several times slower); the ordinary pass runs them in full.
const raceDetector = true
