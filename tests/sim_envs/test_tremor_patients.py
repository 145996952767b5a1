"""The patients of memctrl/TremorSuppression-v1 against the published tremor statistics.

1,000 episodes are drawn through ``reset``; the cited figures are typed here, not read from
the module, so that a changed constant or a broken draw fails.
"""

import numpy as np
import pytest

from sim_envs.tremor_patients import ESSENTIAL, PARKINSONIAN, burst_schedule
from sim_envs.tremor_v1 import TremorSuppressionV1Env

EPISODES = 1000


@pytest.fixture(scope="module")
def patients():
    env = TremorSuppressionV1Env()
    drawn = [env.reset(seed=seed)[1] for seed in range(EPISODES)]
    columns = {key: np.array([info[key] for info in drawn])
               for key in ("disorder", "age_years", "tremor_frequency_hz", "tremor_amplitude_rad",
                           "voluntary_frequency_hz", "voluntary_amplitude_rad")}
    columns["harmonic_ratios"] = np.array([info["harmonic_ratios"] for info in drawn])
    return columns


def of(patients, disorder):
    mask = patients["disorder"] == disorder
    return {key: value[mask] for key, value in patients.items()}


def test_both_disorders_appear_about_equally_often(patients):
    share = np.mean(patients["disorder"] == "essential")
    assert 0.45 < share < 0.55  # 0.5 +- 3 binomial standard errors


def test_essential_tremor_frequency_is_elble_2000s_5_79_pm_1_32_hz(patients):
    essential = of(patients, "essential")["tremor_frequency_hz"]
    standard_error = 1.32 / np.sqrt(essential.size)
    assert abs(essential.mean() - 5.79) < 4 * standard_error
    assert essential.std() == pytest.approx(1.32, rel=0.1)


def test_essential_tremor_slows_with_age_as_elble_2000_regressed(patients):
    essential = of(patients, "essential")
    assert essential["age_years"].mean() == pytest.approx(68.0, abs=1.5)
    assert essential["age_years"].std() == pytest.approx(9.95, rel=0.1)
    slope, intercept = np.polyfit(essential["age_years"], essential["tremor_frequency_hz"], 1)
    assert slope == pytest.approx(-0.061, abs=0.02)   # frequency = -0.061 (age) + 9.94
    assert intercept == pytest.approx(9.94, abs=1.4)
    correlation = np.corrcoef(essential["age_years"], essential["tremor_frequency_hz"])[0, 1]
    assert correlation == pytest.approx(-0.459, abs=0.1)


def test_parkinsonian_rest_tremor_lies_at_4_to_6_hz(patients):
    frequency = of(patients, "parkinsonian")["tremor_frequency_hz"]
    assert frequency.mean() == pytest.approx(5.0, abs=0.1)
    assert np.mean((frequency >= 4.0) & (frequency <= 6.0)) > 0.93
    assert frequency.std() > 0.3  # a spread, not one frequency


@pytest.mark.parametrize("disorder", ["essential", "parkinsonian"])
def test_tremor_is_larger_when_slower(patients, disorder):
    group = of(patients, disorder)
    log_frequency = np.log(group["tremor_frequency_hz"])
    log_amplitude = np.log(group["tremor_amplitude_rad"])
    slope, _ = np.polyfit(log_frequency, log_amplitude, 1)
    assert -2.6 < slope < -1.4          # amplitude ~ 1/f^2 (the limb's low-pass), with scatter
    residual = log_amplitude - np.polyval(np.polyfit(log_frequency, log_amplitude, 1),
                                          log_frequency)
    assert residual.std() == pytest.approx(0.6, rel=0.15)   # patients spread around that line
    # Peak angles of mild to severe tremor: tenths of a degree to ten degrees.
    degrees = np.degrees(group["tremor_amplitude_rad"])
    assert degrees.min() >= 0.2 - 1e-9 and degrees.max() <= 10.0 + 1e-9
    assert 1.0 < np.median(degrees) < 5.0


def test_voluntary_motion_spans_0_2_to_2_hz_and_harmonics_stay_below_the_fundamental(patients):
    frequency = patients["voluntary_frequency_hz"]
    assert frequency.min() >= 0.2 and frequency.max() <= 2.0
    assert np.median(frequency) == pytest.approx(np.sqrt(0.2 * 2.0), rel=0.1)  # log-uniform
    assert np.mean(frequency > 1.0) > 0.25
    assert np.all(np.abs(patients["voluntary_amplitude_rad"]) <= 0.4)
    ratios = patients["harmonic_ratios"]
    assert np.all((ratios >= 0.0) & (ratios < 1.0)) and ratios.mean() > 0.02


@pytest.mark.parametrize("disorder, occurrence", [(ESSENTIAL, 0.9), (PARKINSONIAN, 0.6)])
def test_bursts_leave_the_tremor_on_its_occurrence_of_the_time(disorder, occurrence):
    duration = 20_000.0
    switches = burst_schedule(np.random.default_rng(3), disorder, duration)
    edges = np.concatenate([[0.0], switches, [duration]])
    on_time = np.sum(np.diff(edges)[0::2])   # on at 0, then alternating
    assert on_time / duration == pytest.approx(occurrence, abs=0.03)
    assert np.all(np.diff(switches) > 0.0)
