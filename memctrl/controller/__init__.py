"""The spiking controller: its settings, the agent that acts and learns, its checkpoints.

- :mod:`memctrl.controller.config`: :class:`ControllerConfig` (defaults chosen from the spaces);
- :mod:`memctrl.controller.agent`: :class:`SpikingController` (``reset``, ``act``,
  ``learn``, counters); its learning rule is
  :class:`memctrl.learning.actor_critic.ActorCriticRule`;
- :mod:`memctrl.controller.checkpoint`: save and load (``.npz``);
- :mod:`memctrl.controller.control_period`: the control period an environment states;
- :mod:`memctrl.controller.size`: settings too large for this machine, refused before
  anything is allocated.
"""

from memctrl.controller.agent import ENERGY_COUNTERS, SpikingController, with_control_period
from memctrl.controller.checkpoint import CHECKPOINT_FORMAT
from memctrl.controller.config import ControllerConfig

__all__ = ["CHECKPOINT_FORMAT", "ENERGY_COUNTERS", "ControllerConfig", "SpikingController",
           "with_control_period"]
