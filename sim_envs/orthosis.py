"""A wrist orthosis strapped to the hand: its mass, the compliant link, the motor and its friction.

The mechanics of ``memctrl/TremorSuppression-v1``: the hand (inertia, passive wrist stiffness and
damping of :class:`sim_envs.tremor.WristParameters`) and the orthosis's hand piece (its own
inertia, driven by the motor about the wrist axis) are two bodies joined by the strap and the
soft tissue under it, a spring and damper. The linear part is integrated exactly (zero-order
hold); the motor's Coulomb friction enters as an input held over each step, chosen after a
frictionless prediction (:func:`friction_torque`), so that it can stop the hand piece but never
reverse it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim_envs.tremor import WristParameters, _expm


class OrthosisParameters(NamedTuple):
    """An active wrist orthosis (flexion-extension), as worn."""

    hand_piece_mass_kg: float = 0.2
    """Mass of the parts that move with the hand (assumption: the distal cuff and the moving
    half of the drive of a device of the 561 ± 467 g average of active tremor-suppression
    orthoses, Nguyen & Luu, Front. Hum. Neurosci. 2021, doi:10.3389/fnhum.2021.622535; the
    rest rides on the forearm)."""
    hand_piece_radius_m: float = 0.06
    """Distance of that mass from the wrist axis (assumption: over the metacarpals)."""
    reflected_motor_inertia_kg_m2: float = 3e-4
    """Rotor inertia seen through the gear at the wrist (assumption: a small geared DC motor)."""
    strap_stiffness_n_m_per_rad: float = 20.0
    """Rotational stiffness of strap and soft tissue between hand piece and hand (assumption;
    soft tissue limited the force WOTAS could apply, its clinical evaluation, doi:10.5772/5175)."""
    strap_damping_n_m_s_per_rad: float = 0.05
    """Damping of that link (assumption; a damping ratio of about 0.2 for its mode)."""
    coulomb_friction_n_m: float = 0.03
    """Drive friction (assumption: 6 % of the torque limit, of the order of a gearhead's). It
    sticks: a step ends with the hand piece at rest whenever this much torque can stop it."""
    viscous_friction_n_m_s_per_rad: float = 0.01
    """Viscous drag of the drive (assumption)."""
    torque_limit_n_m: float = 0.5
    """Peak motor torque at the wrist (assumption, as v0)."""
    time_constant_s: float = 0.003
    """First-order torque lag of the motor current loop (assumption, as v0)."""

    @property
    def hand_piece_inertia_kg_m2(self) -> float:
        """Point mass at its radius plus the reflected rotor inertia."""
        return (self.hand_piece_mass_kg * self.hand_piece_radius_m**2
                + self.reflected_motor_inertia_kg_m2)


# State rows: hand angle (rad), hand velocity (rad/s), hand-piece angle, hand-piece velocity,
# motor torque (N m). Input rows: motor command (N m), tremor torque on the hand (N m),
# voluntary equilibrium angle (rad), friction torque on the hand piece (N m).
STATE_SIZE, INPUT_SIZE = 5, 4


def continuous_model(wrist: WristParameters,
                     orthosis: OrthosisParameters) -> tuple[np.ndarray, np.ndarray]:
    """``x' = A x + B u`` of the hand and the worn orthosis (friction as the input ``u[3]``)."""
    hand, piece = wrist.inertia_kg_m2, orthosis.hand_piece_inertia_kg_m2
    k, b = wrist.stiffness_n_m_per_rad, wrist.damping_n_m_s_per_rad
    ks, bs = orthosis.strap_stiffness_n_m_per_rad, orthosis.strap_damping_n_m_s_per_rad
    bo, lag = orthosis.viscous_friction_n_m_s_per_rad, orthosis.time_constant_s
    a = np.array([
        [0.0, 1.0, 0.0, 0.0, 0.0],
        [-(k + ks) / hand, -(b + bs) / hand, ks / hand, bs / hand, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.0],
        [ks / piece, bs / piece, -ks / piece, -(bs + bo) / piece, 1.0 / piece],
        [0.0, 0.0, 0.0, 0.0, -1.0 / lag],
    ])
    b_in = np.zeros((STATE_SIZE, INPUT_SIZE))
    b_in[4, 0] = 1.0 / lag
    b_in[1, 1] = 1.0 / hand
    b_in[1, 2] = k / hand
    b_in[3, 3] = 1.0 / piece
    return a, b_in


def discrete_model(wrist: WristParameters, orthosis: OrthosisParameters,
                   dt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact zero-order-hold transition ``x' = A x + B u`` over ``dt_s``."""
    a, b_in = continuous_model(wrist, orthosis)
    size = STATE_SIZE + INPUT_SIZE
    augmented = np.zeros((size, size))
    augmented[:STATE_SIZE, :STATE_SIZE] = a
    augmented[:STATE_SIZE, STATE_SIZE:] = b_in
    discrete = _expm(augmented * dt_s)
    return discrete[:STATE_SIZE, :STATE_SIZE], discrete[:STATE_SIZE, STATE_SIZE:]


def hand_angle_per_tremor_torque(wrist: WristParameters, orthosis: OrthosisParameters,
                                 frequency_hz: float, amplitude_rad: float) -> float:
    """Steady-state peak hand angle (rad) per N m of sinusoidal tremor torque at
    ``frequency_hz`` with the orthosis worn and its motor off, for a hand trembling with peak
    angle ``amplitude_rad``.

    The friction enters by its describing function: Coulomb friction ``F`` on a sinusoid of
    amplitude ``X`` at ``ω`` dissipates as a damper ``4 F / (π ω X)`` does (the hand piece
    follows the hand closely at tremor frequencies, so ``X`` is taken as ``amplitude_rad``).
    For a harmonic the env passes the fundamental's amplitude with the harmonic's frequency,
    which underrates the friction's damping of the harmonic by its order (an approximation:
    the harmonics' share of the hand angle stays within 15 % of the drawn one, as tested).
    """
    omega = 2.0 * np.pi * frequency_hz
    a, b_in = continuous_model(wrist, orthosis)
    if amplitude_rad > 0.0:
        a = a.copy()
        a[3, 3] -= (4.0 * orthosis.coulomb_friction_n_m / (np.pi * omega * amplitude_rad)
                    / orthosis.hand_piece_inertia_kg_m2)
    response = np.linalg.solve(1j * omega * np.eye(STATE_SIZE) - a, b_in[:, 1])
    return float(abs(response[0]))


def friction_torque(orthosis: OrthosisParameters, predicted_speed_rad_s: np.ndarray,
                    speed_per_n_m: float) -> np.ndarray:
    """Coulomb friction of the drive (N m, held over the step) for hand pieces that would end
    the step at ``predicted_speed_rad_s`` without friction.

    ``speed_per_n_m`` is the end-of-step speed one N m held over the step adds (the transition's
    friction input gain). The friction opposes the predicted speed with at most the Coulomb
    torque, and with no more than it takes to stop the hand piece: it sticks when it can.
    """
    stopping = -np.asarray(predicted_speed_rad_s) / speed_per_n_m
    limit = orthosis.coulomb_friction_n_m
    return np.clip(stopping, -limit, limit)
