"""memctrl: neuromorphic control with emulated ion-based diffusive-memristor neurons."""

from memctrl.controller import ControllerConfig, SpikingController
from memctrl.device.neuron import NeuronParams
from memctrl.device.presets import NEURON_PRESETS, SYNAPSE_PRESETS, neuron_preset, synapse_preset
from memctrl.device.synapse import SynapseParams
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.wiring import Recurrent, random_recurrent

__all__ = ["ControllerConfig", "NEURON_PRESETS", "SYNAPSE_PRESETS", "Network", "NetworkConfig",
           "NeuronParams", "Recurrent", "SpikingController", "SynapseParams", "neuron_preset",
           "random_recurrent", "synapse_preset"]
__version__ = "0.1.0"
