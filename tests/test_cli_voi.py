"""`offramp voi`: value of information on a chance event from the command line, against
the textbook tree worked by hand, its --likelihood syntax and its errors."""
from __future__ import annotations

import csv
import io
import json

import pytest

from offramp_gui.cli import main

# Invest (100 in a strong market, -50 in a weak one, chances 0.6 / 0.4) or keep (0).
TEXTBOOK = {"format": "offramp-tree", "version": 1, "title": "Invest?", "root": {
    "id": "choose", "type": "decision", "name": "Invest?", "children": [
        {"id": "market", "branch": "Invest", "type": "chance", "name": "The market",
         "children": [
             {"id": "strong", "branch": "Strong", "type": "terminal", "payoff": 100,
              "probability": 0.6},
             {"id": "weak", "branch": "Weak", "type": "terminal", "payoff": -50,
              "probability": "#"}]},
        {"id": "keep", "branch": "Keep the money", "type": "terminal", "payoff": 0}]}}


@pytest.fixture
def textbook(tmp_path):
    path = tmp_path / "invest.json"
    path.write_text(json.dumps(TEXTBOOK))
    return str(path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as leaving:  # argparse refuses a wrong command line itself
        status = leaving.code
    out, err = capsys.readouterr()
    return status, out, err


def test_perfect_and_imperfect_information(textbook, capsys):
    # Without: max(0.6*100 - 0.4*50, 0) = 40. Knowing: 0.6*100 + 0.4*0 = 60: EVPI = 20.
    # A test right 80% of the time: 0.56 * (6/7*100 - 1/7*50) - 40 = 44 - 40 = 4.
    status, out, err = run(capsys, "voi", textbook, "--event", "market", "--accuracy", "0.8",
                           "--json")
    assert (status, err) == (0, "")
    found = json.loads(out)
    assert (found["event"], found["before"], found["choice"]) == ("market", "choose", "market")
    assert found["value"] == pytest.approx(40)
    assert found["perfect"]["worth"] == pytest.approx(20)
    assert found["perfect"]["changes_choice"] is True
    assert [s["choice"] for s in found["perfect"]["signals"]] == ["market", "keep"]
    assert found["imperfect"]["worth"] == pytest.approx(4)
    assert found["imperfect"]["accuracy"] == 0.8
    assert [s["probability"] for s in found["imperfect"]["signals"]] == pytest.approx(
        [0.56, 0.44])


def test_the_text_says_it_in_words(textbook, capsys):
    status, out, _err = run(capsys, "voi", textbook, "--event", "market")
    assert status == 0
    assert out.rstrip().endswith(
        "Knowing the outcome of “The market” before choosing at “Invest?” is worth 20.00 to"
        " Decision maker: it would change the choice from “Invest” to “Keep the money” if it"
        " is “Weak”.")


def test_a_likelihood_table_by_label_and_by_id(textbook, capsys, tmp_path):
    # "alarm" always after a weak market, half the time after a strong one:
    # P(alarm) = 0.3 + 0.4 = 0.7, P(strong | alarm) = 3/7: invest worth 100/7 > 0, and
    # after "clear" invest (100): the choice never changes, so the test is worth 0.
    out_csv = tmp_path / "voi.csv"
    status, out, _err = run(capsys, "voi", textbook, "--event", "market", "--likelihood",
                            "alarm: Strong=0.5, weak=1; clear: Strong=0.5", "--json",
                            "-o", str(out_csv))
    assert status == 0
    told = json.loads(out)["imperfect"]
    assert [s["signal"] for s in told["signals"]] == ["alarm", "clear"]
    assert [s["value"] for s in told["signals"]] == pytest.approx([100 / 7, 100])
    assert told["worth"] == 0.0 and told["changes_choice"] is False
    header, *rows = list(csv.reader(io.StringIO(out_csv.read_text())))
    assert header == ["information", "signal", "probability", "choice", "value",
                      "P(Strong)", "P(Weak)", "worth"]
    assert rows[0] == ["none", "", "1.0", "market", "40.0", "0.6", "0.4", ""]
    assert rows[2] == ["perfect", "Weak", "0.4", "keep", "0.0", "0.0", "1.0", "20.0"]
    assert [row[:2] for row in rows[3:]] == [["imperfect", "alarm"], ["imperfect", "clear"]]


@pytest.mark.parametrize("args, status, message", [
    (["--event", "keep"], 1, "“Keep the money” (keep) is not a chance node"),
    (["--event", "nope"], 1, 'there is no node "nope"'),
    (["--event", "market", "--before", "market"], 1, "is not a decision that chooses"),
    (["--event", "market", "--accuracy", "2"], 2, "2 is not a chance from 0 to 1"),
    (["--event", "market", "--accuracy", "0.9", "--likelihood", "a: Strong=1"], 2,
     "not allowed with argument"),
    (["--event", "market", "--likelihood", "alarm Strong=1"], 2,
     'write SIGNAL: OUTCOME=P, OUTCOME=P'),
    (["--event", "market", "--likelihood", "alarm: Strong"], 2, 'write OUTCOME=P'),
    (["--event", "market", "--likelihood", "a: Strong=1; a: Weak=1"], 2, "given twice"),
    (["--event", "market", "--likelihood", "a: Strong=0.5, Weak=1"], 1,
     "given outcome 1, the chances of the signals add up to 0.5, not 1"),
    (["--event", "market", "--likelihood", "a: Boom=1"], 1,
     "“Boom” is not an outcome of “The market”; its outcomes are “Strong”, “Weak”"),
])
def test_errors_are_one_line(textbook, capsys, args, status, message):
    code, out, err = run(capsys, "voi", textbook, *args)
    assert code == status and out == ""
    assert message in err
    if status == 1:
        assert err.count("\n") == 1


def test_a_plot(textbook, tmp_path, capsys):
    pytest.importorskip("PySide6")
    out = tmp_path / "voi.svg"
    status, _out, _err = run(capsys, "voi", textbook, "--event", "market", "--accuracy",
                             "0.7", "-o", str(out))
    assert status == 0
    text = out.read_text()
    assert "Weak (40%)" in text and "says Strong" in text
