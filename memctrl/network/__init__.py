"""Networks of emulated devices: configuration, wiring, reference and compiled backends."""
