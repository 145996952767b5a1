"""The online reward scale: its factor, and rewards it cannot take."""

from __future__ import annotations

import numpy as np
import pytest

from memctrl.learning.reward_scale import SPREAD_SIGMAS, RewardScale


def test_rewards_are_scaled_by_the_wider_of_their_spread_and_their_level():
    scale = RewardScale()
    rewards = [-2.0, -6.0, -10.0, -4.0]
    for reward in rewards:
        scale.scaled(reward)
    spread = max(SPREAD_SIGMAS * np.std(rewards), abs(np.mean(rewards)))
    assert scale.scale == pytest.approx(1.0 / spread)


def test_a_reward_too_large_to_scale_is_refused_and_changes_nothing():
    scale = RewardScale()
    for reward in (-1.0, 2.0, 0.5):
        scale.scaled(reward)
    before = scale.moments.state()
    with pytest.raises(ValueError, match="too large for the running reward statistics"):
        scale.scaled(1.7e308)
    assert scale.moments.state() == before
    assert scale.scaled(1.0) == pytest.approx(1.0 * scale.scale)
