"""Device models: the 1M1T1R neuron, memristive synapses and their presets."""
