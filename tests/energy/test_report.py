"""The report files: what they hold, that they open, and that bad input leaves none behind."""

import json
import math
import re
import subprocess
import sys

import pytest
from PIL import Image

from memctrl import cli
from memctrl.energy.report import write_report

REPORT_FILES = {"report.md", "report.json", "energy_breakdown.png", "power_vs_control_rate.png",
                "cumulative_energy.png"}


def pipe_cells(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|"), line
    return re.split(r"(?<!\\)\|", line[1:-1])


def check_markdown_tables(text: str) -> int:
    """Every block of pipe lines is header, separator, rows, all with equal cell counts."""
    blocks, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    for block in blocks:
        assert len(block) >= 3, block  # header, separator and at least one row
        widths = {len(pipe_cells(line)) for line in block}
        assert len(widths) == 1, block
        assert all(re.fullmatch(r"\s*:?-{3,}:?\s*", cell) for cell in pipe_cells(block[1]))
    return len(blocks)


def test_report_files_hold_the_breakdown_counts_and_baselines(make_run, tmp_path):
    out = tmp_path / "out"
    ticks = 150  # the measured device first fires after about 90 ms of pulses
    write_report(make_run("measured", ticks=ticks, recurrent=True, learn_every=25), out)
    assert {p.name for p in out.iterdir()} == REPORT_FILES - {"cumulative_energy.png"}
    report = json.loads((out / "report.json").read_text())
    breakdown = report["energy_breakdown_j"]
    assert math.fsum(breakdown.values()) == pytest.approx(report["total_energy_j"])
    assert report["energy_per_step_j"] == pytest.approx(report["total_energy_j"] / ticks)
    assert report["mean_power_w"] == pytest.approx(report["total_energy_j"] / (ticks * 1e-3))
    assert report["battery_life_h"] == pytest.approx(2430 / report["mean_power_w"] / 3600)
    for key in ("spikes", "synaptic_events", "programming_pulses", "effective_acs",
                "dense_synops", "activation_sparsity"):
        assert key in report["counts"]
    assert report["counts"]["programming_pulses"] > 0
    assert set(report["baselines"]) == {"mcu-cortex-m4", "loihi", "truenorth", "xylo-audio-2",
                                        "reckon"}
    for item in report["baselines"].values():
        assert item["energy_per_step_j"] > 0 and item["ratio_to_memctrl"] > 0
    assert report["assumptions"] and all(isinstance(a, str) for a in report["assumptions"])
    assert any("leakage" in a for a in report["assumptions"])
    assert report["peak_power_w"] == report["mean_power_w"]
    assert "equals the mean" in report["peak_power_basis"]

    text = (out / "report.md").read_text()
    assert check_markdown_tables(text) >= 6
    assert "## Assumptions" in text and "energy_breakdown.png" in text
    assert "| 0.7 |" in text and " m1 " not in text    # the gear's efficiency, a ratio
    for name in ("energy_breakdown.png", "power_vs_control_rate.png"):
        assert (out / name).stat().st_size > 0
        with Image.open(out / name) as image:
            image.load()
            assert image.format == "PNG" and image.width > 100 and image.height > 100


def test_a_training_run_gets_per_episode_peaks_and_a_cumulative_plot(make_run, tmp_path):
    out = tmp_path / "out"
    report = write_report(make_run("measured", ticks=40, metrics=True), out,
                          profile_name="implant", hardware_name="measured-pulsed")
    assert {p.name for p in out.iterdir()} == REPORT_FILES
    with Image.open(out / "cumulative_energy.png") as image:
        image.load()
    episodes = report["episodes"]
    assert episodes["count"] == 4
    assert episodes["episodes"][-1]["cumulative_energy_j"] == pytest.approx(
        math.fsum(row["energy_j"] for row in episodes["episodes"]))
    powers = [row["mean_power_w"] for row in episodes["episodes"]]
    assert report["peak_power_w"] == pytest.approx(max(powers))
    assert report["peak_power_w"] >= report["mean_power_w"] * (1 - 1e-9)
    assert "per-episode" in report["peak_power_basis"]
    assert report["profile"]["name"] == "implant"
    assert report["hardware"]["synaptic_reads"] == "pulsed"


def test_corrupt_run_json_exits_2_naming_the_file_and_writes_nothing(make_run, tmp_path,
                                                                     capsys):
    run = make_run("measured", ticks=10)
    (run / "run.json").write_text('{"format": "memctrl-run/1", "counters": {')
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["report", "--run", str(run), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert str(run / "run.json") in error and "not valid JSON" in error
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("edit, message", [
    (lambda record: record["network"]["synapse"].update(g_max=1e308),
     "its figures overflow the power model .*is not finite"),
    (lambda record: record["counters"].update(spikes=1e308),
     "its figures overflow the power model .*is not finite"),
    (lambda record: record["network"].update(control_rate_hz=10.0), "contradicts itself"),
])
def test_a_record_whose_figures_overflow_or_disagree_exits_2_naming_it(make_run, tmp_path,
                                                                       capsys, edit, message):
    run = make_run("measured", ticks=10)
    record = json.loads((run / "run.json").read_text())
    edit(record)
    (run / "run.json").write_text(json.dumps(record))
    out = tmp_path / "out"
    assert cli.main(["report", "--run", str(run), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert re.search(f"{re.escape(str(run / 'run.json'))}: {message}", error)
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("below", ["", "sub"])
def test_an_out_that_is_a_file_or_below_one_exits_2_saying_so(make_run, tmp_path, capsys,
                                                              below):
    run = make_run("measured", ticks=10)
    blocker = tmp_path / "a-file"
    blocker.write_text("the user's")
    assert cli.main(["report", "--run", str(run), "--out", str(blocker / below)]) == 2
    assert (f"cannot make the output directory ({blocker} is a file)"
            in capsys.readouterr().err)
    assert blocker.read_text() == "the user's"


def test_a_report_goes_into_its_own_run_or_a_directory_of_its_own_not_another_run(
        make_run, capsys):
    run, other = make_run("measured", ticks=10), make_run("measured", ticks=20)
    before = {path.name: path.read_bytes() for path in other.iterdir()}
    assert cli.main(["report", "--run", str(run), "--out", str(other)]) == 2
    assert f"{other} holds another run (run.json)" in capsys.readouterr().err
    assert {path.name: path.read_bytes() for path in other.iterdir()} == before
    assert cli.main(["report", "--run", str(run), "--out", str(run)]) == 0   # its own
    assert (run / "report.md").exists()


def test_missing_counter_and_missing_record_are_reported(make_run, tmp_path, capsys):
    run = make_run("measured", ticks=10)
    record = json.loads((run / "run.json").read_text())
    del record["counters"]["synaptic_events"]
    (run / "run.json").write_text(json.dumps(record))
    out = tmp_path / "out"
    assert cli.main(["report", "--run", str(run), "--out", str(out)]) == 2
    assert "'synaptic_events'" in capsys.readouterr().err
    assert cli.main(["report", "--run", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert "run.json" in capsys.readouterr().err
    assert not out.exists()


def test_corrupt_metrics_line_is_named_and_nothing_is_written(make_run, tmp_path):
    run = make_run("measured", ticks=8, metrics=True)
    with open(run / "metrics.jsonl", "a") as file:
        file.write('{"episode": 9, "energy_j": 1e-9\n')
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=r"metrics\.jsonl: line 5: not valid JSON"):
        write_report(run, out)
    assert not out.exists()


def test_a_last_line_cut_short_by_a_crash_is_left_out(make_run, tmp_path):
    """A crash in the middle of appending an episode's row leaves a torn last line (no
    line break): that row is left out (``train --resume`` drops it too), not the run."""
    run = make_run("measured", ticks=8, metrics=True)
    whole = write_report(run, tmp_path / "whole")
    with open(run / "metrics.jsonl", "a") as file:
        file.write('{"episode": 9, "energy_j": 1e-9, "coun')
    torn = write_report(run, tmp_path / "torn")
    assert torn["episodes"] == whole["episodes"]


def test_a_failure_while_writing_leaves_no_report_files(make_run, tmp_path, monkeypatch):
    def broken_plots(report, directory):
        (directory / "energy_breakdown.png").write_bytes(b"half a file")
        raise RuntimeError("disk full")

    import memctrl.energy.plots
    monkeypatch.setattr(memctrl.energy.plots, "write_plots", broken_plots)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(make_run("measured", ticks=8), out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_unknown_profile_and_hardware_exit_2_listing_valid_names(make_run, tmp_path, capsys):
    run, out = make_run("measured", ticks=8), tmp_path / "out"
    assert cli.main(["report", "--run", str(run), "--out", str(out), "--profile", "x"]) == 2
    error = capsys.readouterr().err
    assert "unknown profile 'x'" in error
    assert all(name in error for name in ("coin-cell", "hearing-aid", "implant", "smartwatch",
                                          "nano-drone"))
    assert cli.main(["report", "--run", str(run), "--out", str(out), "--hardware", "y"]) == 2
    assert "unknown hardware preset 'y'" in capsys.readouterr().err
    assert cli.main(["report", "--run", str(run), "--out", str(out),
                     "--hardware", "projected-3nm"]) == 2
    assert "the run used 'measured'" in capsys.readouterr().err
    assert cli.main(["report", "--out", str(out)]) == 2
    assert "--run required" in capsys.readouterr().err
    assert not out.exists()


def test_list_profiles_prints_each_budget(capsys):
    assert cli.main(["report", "--list-profiles"]) == 0
    printed = capsys.readouterr().out
    for name in ("coin-cell", "hearing-aid", "implant", "smartwatch", "nano-drone"):
        assert name in printed
    assert cli.main(["report", "--list-profiles", "--json"]) == 0
    profiles = json.loads(capsys.readouterr().out)["profiles"]
    # the controller gets at most half of the pacemaker's 16 uW; stimulation takes the rest
    assert {p["name"]: p["budget_w"] for p in profiles}["implant"] == pytest.approx(8e-6)


def test_the_cli_writes_a_report_and_prints_its_summary(make_run, tmp_path, capsys):
    out = tmp_path / "out"
    run = make_run("projected-3nm", ticks=10)
    assert cli.main(["report", "--run", str(run), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["hardware"] == "projected-3nm"
    assert set(summary["files"]) <= {p.name for p in out.iterdir()}
    assert summary["mean_power_w"] == pytest.approx(
        json.loads((out / "report.json").read_text())["mean_power_w"])


def test_matplotlib_is_imported_only_when_plotting():
    code = ("import sys, memctrl.energy, memctrl.cli; "
            "print('matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("preset, fastest_hz", [("measured", 1e3), ("projected-3nm", 1e8)])
def test_rates_beyond_what_the_device_can_step_are_flagged(make_run, tmp_path, preset,
                                                           fastest_hz):
    # a 1 ms control step (10 x 100 us) is 1 ms of device time for the measured device
    # and 10 ns for the 3 nm projection (time_scale 1e5)
    report = write_report(make_run(preset), tmp_path / "out", profile_name="coin-cell")
    rows = report["scaling"]["control_rate"]
    assert report["scaling"]["device_max_control_rate_hz"] == pytest.approx(fastest_hz)
    assert all(row["device_keeps_up"] == (row["control_rate_hz"] <= fastest_hz) for row in rows)
    assert any(not row["device_keeps_up"] for row in rows) == (preset == "measured")


def test_every_baseline_recomputes_from_the_runs_counts_in_the_report(make_run, tmp_path):
    """From the report's own run section (counters, sizes, time) and the published
    figures, typed in here, every baseline's energy and ratio come out again."""
    report = write_report(make_run("measured", ticks=40, recurrent=True, learn_every=5),
                          tmp_path / "out")
    run, c = report["run"], report["run"]["counters"]
    assert c["spikes"] > 0 and c["spike_synaptic_events"] > 0 and c["programming_pulses"] > 0
    # not vacuous: some updates sent a pair more than one pulse
    assert 0 < c["weights_written"] < c["programming_pulses"]
    mcu_j_per_mac = 34e-6 / 1e6 * 3.0 * 0.5      # Apollo-class 34 uA/MHz x 3 V x 0.5 cycle
    input_macs = (c["synaptic_events"] - c["spike_synaptic_events"]) / run["substeps"]
    recurrent_macs = c["spikes"] * run["n_recurrent_synapses"] / run["n_neurons"]
    expected = {
        "mcu-cortex-m4": (input_macs + recurrent_macs + c["membrane_updates"] / run["substeps"]
                          + c["weights_written"]) * mcu_j_per_mac,
        "loihi": (c["synaptic_events"] * 23.6e-12 + c["membrane_updates"] * 52e-12
                  + c["weights_written"] * 120e-12 + c["spikes"] * 1.7e-12),
        "truenorth": c["synaptic_events"] * 26e-12,
        "xylo-audio-2": 291e-6 * run["emulated_time_s"],
        "reckon": 150e-6 * run["emulated_time_s"],
    }
    assert set(report["baselines"]) == set(expected)
    for name, energy in expected.items():
        item = report["baselines"][name]
        assert item["energy_j"] == pytest.approx(energy, rel=1e-12), name
        assert item["ratio_to_memctrl"] == pytest.approx(
            energy / run["ticks"] / report["energy_per_step_j"], rel=1e-12), name
    text = (tmp_path / "out" / "report.md").read_text()
    assert "pre-silicon" in text and "whole-chip average" in text


def test_a_run_from_before_weights_were_counted_prices_a_write_per_pulse(make_run, tmp_path):
    """Records and metrics without ``weights_written`` are read with their pulses in its
    place: the MCU's upper bound they were priced with then."""
    run = make_run("measured", ticks=40, metrics=True, recurrent=True, learn_every=5)
    new = write_report(run, tmp_path / "new")
    record = json.loads((run / "run.json").read_text())
    del record["counters"]["weights_written"]
    (run / "run.json").write_text(json.dumps(record))
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    for row in rows:
        del row["counters"]["weights_written"]
    (run / "metrics.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    old = write_report(run, tmp_path / "old")
    counts = new["run"]["counters"]
    extra_writes = counts["programming_pulses"] - counts["weights_written"]
    assert extra_writes > 0
    assert old["baselines"]["mcu-cortex-m4"]["energy_j"] == pytest.approx(
        new["baselines"]["mcu-cortex-m4"]["energy_j"] + extra_writes * 51e-12, rel=1e-9)
    assert old["run"]["counters"]["weights_written"] == counts["programming_pulses"]


def test_the_report_says_what_the_device_would_need_to_beat_the_mcu(make_run, tmp_path):
    """A real run of the measured device: its break-even targets are the MCU's own
    figure, its split adds up to the run, and the markdown names the needed figures."""
    report = write_report(make_run("measured", ticks=150, learn_every=25), tmp_path / "out")
    result = report["break_even"]
    mcu = report["baselines"]["mcu-cortex-m4"]["energy_per_step_j"]
    assert [t["energy_per_step_j"] for t in result["targets"]] == pytest.approx([mcu, mcu / 10])
    assert math.fsum(result["parts_per_step_j"].values()) == pytest.approx(
        report["energy_per_step_j"], rel=1e-9)
    assert result["figures"]["device_speed"] == pytest.approx(1e-3 / 10)  # 1 ms tick, 10 substeps
    for target in result["targets"]:
        assert target["met"] == (report["energy_per_step_j"] <= target["energy_per_step_j"])
        if target["balanced_factors"] is not None:
            assert target["balanced_repriced_per_step_j"] <= target["energy_per_step_j"] * (
                1 + 1e-5)
    text = (tmp_path / "out" / "report.md").read_text()
    section = text.split("## What the device would need")[1].split("\n## ")[0]
    assert "device time per substep" in section and check_markdown_tables(section) == 1


@pytest.mark.parametrize("foreign", ["report.md", "energy_breakdown.png", "report.json"])
def test_a_report_replaces_only_an_earlier_report(make_run, tmp_path, capsys, foreign):
    run, out = make_run("measured", ticks=8), tmp_path / "out"
    assert cli.main(["report", "--run", str(run), "--out", str(out)]) == 0
    assert cli.main(["report", "--run", str(run), "--out", str(out)]) == 0   # its own: updated
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / foreign).write_text("the user's own notes")
    assert cli.main(["report", "--run", str(run), "--out", str(mine)]) == 2
    assert f"{mine / foreign} exists and is not part of an earlier set" in capsys.readouterr().err
    assert [path.name for path in mine.iterdir()] == [foreign]
    assert (mine / foreign).read_text() == "the user's own notes"


def test_a_report_written_over_an_earlier_one_leaves_none_of_the_earlier_ones_files(
        make_run, tmp_path):
    """A later report of another run may plot less: the earlier report's other files go,
    the user's own stay."""
    run, out = make_run("measured", ticks=8), tmp_path / "out"
    write_report(run, out)
    index = json.loads((out / "report.json").read_text())
    index["files"]["plots"]["gone"] = "an_earlier_plot.png"
    (out / "report.json").write_text(json.dumps(index))
    (out / "an_earlier_plot.png").write_bytes(b"PNG of the earlier report")
    (out / "notes.txt").write_text("the user's own")
    report = write_report(run, out)
    expected = {*report["files"]["plots"].values(), "report.md", "report.json", "notes.txt"}
    assert {path.name for path in out.iterdir()} == expected
