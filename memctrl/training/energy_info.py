"""A gymnasium wrapper that reports the controller's modelled energy in ``info``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import gymnasium

if TYPE_CHECKING:
    from memctrl.controller import SpikingController


class ControllerEnergyInfo(gymnasium.Wrapper):
    """Adds ``info["energy_j"]``: the controller's modelled device energy (J) since the
    previous ``step`` or ``reset``, and ``info["energy_total_j"]`` since construction.

    The controller acts before ``step`` is called, so the energy of a step includes
    the network ticks that chose its action (and the learning of the previous one);
    the ``info`` of ``reset`` carries the learning of an episode's last step, so the
    ``energy_j`` of all steps and resets add up to what the controller spent.
    """

    def __init__(self, env: gymnasium.Env, controller: "SpikingController") -> None:
        super().__init__(env)
        self.controller = controller
        self._last = controller.energy_j

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        observation, info = self.env.reset(seed=seed, options=options)
        return observation, self._with_energy(info)

    def step(self, action):
        observation, reward, terminated, truncated, info = self.env.step(action)
        return observation, reward, terminated, truncated, self._with_energy(info)

    def _with_energy(self, info: dict) -> dict:
        total = self.controller.energy_j
        info = dict(info, energy_j=total - self._last, energy_total_j=total)
        self._last = total
        return info
