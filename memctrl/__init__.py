"""memctrl: neuromorphic control with emulated ion-based diffusive-memristor neurons.

The names below are imported when first used (PEP 562), so that ``memctrl``'s command
starts its interrupt handling before the controller, NumPy and gymnasium load: Ctrl-C in
a command's first moments printed an import's traceback.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ControllerConfig": "memctrl.controller", "SpikingController": "memctrl.controller",
    "NeuronParams": "memctrl.device.neuron", "NEURON_PRESETS": "memctrl.device.presets",
    "SYNAPSE_PRESETS": "memctrl.device.presets", "neuron_preset": "memctrl.device.presets",
    "synapse_preset": "memctrl.device.presets", "SynapseParams": "memctrl.device.synapse",
    "NetworkConfig": "memctrl.network.config", "Network": "memctrl.network.network",
    "Recurrent": "memctrl.network.wiring", "random_recurrent": "memctrl.network.wiring",
}
__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'memctrl' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
