"""The memctrl command end to end: JSON output, run records, refused arguments."""

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memctrl.cli import build_parser, main
from memctrl.run_record import read_run_record


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "memctrl.cli", *args],
                          capture_output=True, text=True, timeout=300)


def test_bench_prints_both_backends_and_records_the_compiled_run(tmp_path):
    result = run_cli("bench", "--neurons", "40", "--substeps", "4", "--json",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    rows = {(row["backend"], row["neurons"]): row for row in output["results"]}
    assert set(rows) == {("compiled", 40), ("reference", 40)}
    for row in rows.values():
        assert 0 < row["median_us"] <= row["p99_us"] and row["substeps"] == 4
    assert output["ratios"][0]["reference_over_compiled"] > 1.0
    record = read_run_record(tmp_path)
    assert record["source"] == "bench" and record["network"]["n_neurons"] == 40
    assert record["counters"]["membrane_updates"] == 40 * 4 * record["ticks"]
    assert record["counters"]["spikes"] > 0


def test_a_bench_record_prices_into_a_report(tmp_path):
    assert run_cli("bench", "--neurons", "30", "--out", str(tmp_path / "run")).returncode == 0
    result = run_cli("report", "--run", str(tmp_path / "run"), "--out", str(tmp_path / "rep"),
                     "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "rep" / "report.json").read_text())
    assert report["total_energy_j"] > 0
    assert report["counts"]["spikes"] == read_run_record(tmp_path / "run")["counters"]["spikes"]


@pytest.mark.parametrize("args, message", [
    (["characterize", "--preset", "graphene"], "invalid choice"),
    (["characterize", "--trials", "0"], "positive integer"),
    (["bench", "--neurons", "-5"], "positive integer"),
    (["evaluate", "--run", "run", "--seed", "-1"], "a seed (an integer >= 0)"),
    (["train", "--env", "CartPole-v1", "--seed", "x"], "a seed (an integer >= 0)"),
    (["train", "--env", "CartPole-v1", "--episodes", "1" + "0" * 400],
     "argument --episodes: expected a positive integer up to 1,000,000,000"),
    (["train", "--env", "CartPole-v1", "--episodes", "1000000001"], "up to 1,000,000,000"),
])
def test_bad_arguments_exit_with_status_2_and_name_the_problem(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def _not_help(arg: str) -> bool:
    return not (arg.startswith("-") and "h" in arg)     # -h, --he, -vh: the help, exit 0


COMMANDS = ["characterize", "bench", "report", "train", "evaluate", "sweep", "demo", "launch"]
OPTIONS = ["--env", "--episodes", "--seed", "--out", "--run", "--resume", "--config",
           "--neurons", "--trials", "--preset", "--json", "--bogus", "-x", "--"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(COMMANDS + ["", "nope"]),
       st.lists(st.sampled_from(OPTIONS) | st.text(max_size=6).filter(_not_help), max_size=5))
def test_a_command_line_the_parser_refuses_is_one_line_with_status_2(command, args):
    parser = build_parser()
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        try:
            parser.parse_args([command, *args] if command else args)
        except SystemExit as exit_info:
            assert exit_info.code == 2
            assert len(errors.getvalue().splitlines()) == 1, errors.getvalue()
            assert "memctrl" in errors.getvalue() and "error" in errors.getvalue()


@pytest.mark.parametrize("command", ["train", "bench", "report"])
def test_an_unknown_option_is_blamed_on_its_subcommand(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--bogus"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (f"memctrl {command}: error: unrecognized arguments: "
                                       f"--bogus (see memctrl {command} -h)\n")


def test_a_bench_network_too_large_for_the_machine_is_refused_in_one_line(monkeypatch, capsys):
    # 1 GiB: the inputs of 200,000 neurons (0.4 GB) fit, with their 20 million recurrent
    # synapses (3 GB) they do not
    monkeypatch.setattr("memctrl.network.cost.memory_limit_bytes", lambda: 2**30)
    assert main(["bench", "--neurons", "200000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "200000 neurons" in err and "--neurons" in err


def test_an_outdated_environment_id_is_one_line_without_gymnasiums_warning(tmp_path):
    result = run_cli("train", "--env", "Taxi-v3", "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Taxi-v4" in result.stderr


def test_a_camera_task_is_refused_in_one_line_without_its_dependencies_import_noise(tmp_path):
    # CarRacing-v3 imports pygame, whose pkg_resources import setuptools 80 warns about
    result = run_cli("train", "--env", "CarRacing-v3", "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "(96, 96, 3)" in result.stderr
    assert not (tmp_path / "run").exists()


@settings(max_examples=20, deadline=None)
@given(st.text(alphabet="ab\n\r", min_size=1, max_size=6))
def test_an_error_naming_a_path_with_line_breaks_is_still_one_line(name):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["evaluate", "--run", f"/proc/no-{name}"]) == 2
    assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("memctrl evaluate: ")


def test_an_unwritable_output_path_exits_2_naming_it(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert main(["bench", "--neurons", "10", "--out", str(blocker / "run")]) == 2
    assert str(blocker) in capsys.readouterr().err


def test_output_that_cannot_be_written_is_one_line_and_a_reader_that_left_is_quiet():
    with open("/dev/full", "w") as full:           # a full disk
        result = subprocess.run([sys.executable, "-m", "memctrl.cli", "report",
                                 "--list-profiles"], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=300)
    assert result.returncode == 2
    assert result.stderr == ("memctrl report: cannot write the output (No space left on "
                             "device)\n")
    process = subprocess.Popen([sys.executable, "-m", "memctrl.cli", "report",
                                "--list-hardware"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()                        # `| head -c 0`: the reader left at once
    assert process.wait(timeout=300) == 141 and process.stderr.read() == ""
    closed = subprocess.run([sys.executable, "-m", "memctrl.cli", "report", "--list-profiles"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            timeout=300, preexec_fn=lambda: os.close(1))    # `>&-`
    assert closed.returncode == 0 and closed.stderr == ""


def test_the_command_starts_on_the_standard_library_so_an_early_ctrl_c_is_one_line(
        monkeypatch, capsys):
    """Ctrl-C in a command's first moments, while NumPy, gymnasium and the controller load,
    printed an import's traceback: the command's module loads none of them, and an
    interrupt while they load is one line, exit 130."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, memctrl.cli; print("
                             "sorted({'numpy', 'gymnasium', 'memctrl.controller'} & "
                             "set(sys.modules)))"], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"

    def interrupted():
        raise KeyboardInterrupt
    monkeypatch.setattr("memctrl.cli.build_parser", interrupted)
    assert main(["train", "--env", "CartPole-v1"]) == 130
    assert capsys.readouterr().err == "memctrl: interrupted\n"
