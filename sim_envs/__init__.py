"""Gymnasium environments of memctrl's own, registered under the ``memctrl/`` namespace on import.

>>> import gymnasium, sim_envs
>>> env = gymnasium.make("memctrl/TremorSuppression-v0")

(``gymnasium.make("sim_envs:memctrl/TremorSuppression-v0")`` imports this package itself.)
This package stands alone: it must not import ``memctrl``.
"""

import warnings

import gymnasium

_ENVIRONMENTS = {
    # 3000 steps = 3 s at the default 1 kHz control rate.
    "memctrl/TremorSuppression-v0": ("sim_envs.tremor:TremorSuppressionEnv", 3000, {}),
    # 3000 steps = 3 s at the default 1 kHz; the environment also truncates there itself.
    "memctrl/TremorSuppression-v1": ("sim_envs.tremor_v1:TremorSuppressionV1Env", 3000, {}),
    # v1 with the tremor-band gyro channel and a tracking term in the reward (an error of
    # 0.2 rad costs the whole step's budget; assumption: half the largest voluntary movement).
    "memctrl/TremorSuppression-v2": ("sim_envs.tremor_v1:TremorSuppressionV1Env", 3000,
                                     {"tremor_band_channel": True, "tracking_scale_rad": 0.2}),
    # v2 without the raw gyro: the controller reads the tremor band, the tilt, its last action.
    "memctrl/TremorSuppression-v3": ("sim_envs.tremor_v1:TremorSuppressionV1Env", 3000,
                                     {"tremor_band_channel": True, "tracking_scale_rad": 0.2,
                                      "raw_gyro_channel": False}),
    # 1000 steps = 20 s at the default 50 Hz control rate.
    "memctrl/LineFollower-v0": ("sim_envs.line_follower:LineFollowerEnv", 1000, {}),
}


def _register() -> None:
    for env_id, (entry_point, max_episode_steps, kwargs) in _ENVIRONMENTS.items():
        if env_id not in gymnasium.registry:  # importlib.reload must not re-register
            gymnasium.register(id=env_id, entry_point=entry_point,
                               max_episode_steps=max_episode_steps, kwargs=kwargs)


_register()
# v0-v2 stay beside v3 on purpose (v1's issue: v0 "kept for comparison"; v1 and v2 are what the
# measurements before v3 ran on); gymnasium would call them out of date every time.
warnings.filterwarnings("ignore", message=r".*memctrl/TremorSuppression-v[012] is out of date")
ENV_IDS = tuple(_ENVIRONMENTS)
__all__ = ["ENV_IDS"]
