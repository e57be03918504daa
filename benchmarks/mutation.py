"""Mutation score of a module: plant one small fault at a time, count those the tests catch.

Not part of CI and not collected by pytest. Run it with the project's Python, from the
repository's root:

    python benchmarks/mutation.py offramp_gui/model/expressions.py tests/model/test_expressions.py
    python benchmarks/mutation.py offramp_gui/model/expressions.py   # its tests from DEFAULT_TESTS
    python benchmarks/mutation.py                                    # every module of DEFAULT_TESTS
    python benchmarks/mutation.py MODULE --list       # number, line and id of each mutant; none run
    python benchmarks/mutation.py MODULE --diff 17    # what mutant 17 changes
    python benchmarks/mutation.py MODULE --sample 100 --seed 1 --jobs 2

Test arguments are anything pytest takes as a path (a file, or `file::test`); options for
pytest go after them in the --name=value form (--deselect=tests/x.py::test_slow). Each mutant is
one of: + - * / swapped (also in `+=`), a comparison flipped or loosened (< to <= or >,
== to !=, in to not in, is to is not), a number n made n+1 or 0, True and False swapped,
`and` / `or` swapped, `not` or a unary minus removed, a returned value replaced with None,
a statement inside a function replaced with `pass`, a slice bound shifted by one.
Docstrings, imports, asserts and type annotations are left alone.

Each mutant is written into a temporary copy of the repository (one copy per job), and the
tests run there once, as `python -m pytest -x -q TESTS` in a subprocess; a failing run or one
that hangs past the time limit kills the mutant. The score is killed / (total - equivalent).

A mutant that no test could ever catch (the program behaves the same) is marked in
EQUIVALENT below, by the id that --list and the survivors list print, with the reason.
An id names the enclosing function (or module-level name), the change and, when the same
change occurs more than once there, its occurrence: it survives edits elsewhere in the file.
"""
from __future__ import annotations

import argparse
import ast
import copy
import difflib
import importlib.util
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The fast tests that exercise each module.
DEFAULT_TESTS: dict[str, list[str]] = {
    "offramp_gui/model/expressions.py": [
        "tests/model/test_expressions.py", "tests/model/test_expression_grammar.py"],
    "offramp_gui/fileformat/schema.py": [
        "tests/fileformat/test_schema_rules.py", "tests/fileformat/test_loading.py",
        "tests/model/test_validate.py",
        "--deselect=tests/fileformat/test_loading.py::test_pathological_input"],  # 20 s alone
    "offramp_gui/analysis/evaluate.py": ["tests/analysis/test_engine.py"],
    "offramp_gui/analysis/incremental.py": ["tests/analysis/test_engine.py"],
    "offramp_gui/analysis/sensitivity.py": ["tests/test_cli_analysis.py"],
}

#: Mutants that behave exactly like the original: module -> {mutant id: why}.
EQUIVALENT: dict[str, dict[str, str]] = {
    "offramp_gui/model/expressions.py": {
        "_BINARY_POWER['and']: 2 -> 3": "no operator or prefix sits at level 3 between 'and'"
                                          " and 'not', so 'and' groups the same at 2 or 3",
        "_tokenize: pos < len(text) -> pos <= len(text)": "at the end of the text no token"
                                                           " matches and the loop breaks",
        "_Parser.expression: 1 -> 2 #3": "the right side of ^ read at level 6 or 7 stops at the"
                                          " same operators: none has level 7",
        "names: 2 -> 0": "the tag and operator strings pushed as well are never a node's tag",
    },
    "offramp_gui/fileformat/schema.py": {
        "is_finite: return False -> return None": "only ever read as true or false",
        **{"_check_envelope: return False -> return None" + suffix: "only ever read as true"
           " or false" for suffix in ("", " #2", " #3", " #4")},
        "_Checker.keys: len(key) <= 100 -> len(key) < 100": "a key of 100 characters is never"
            " 70% like an allowed key (the longest has 11), so it gets no hint either way",
        "_Checker.keys: 100 -> 101": "as above, for 101 characters",
        "_Checker.keys: 1 -> 2": "the closest match comes first and only the first is shown",
        "_build_node: keys <= _NODE_KEY_SET -> keys < _NODE_KEY_SET": "a node holding every"
            " key, all known and none repeated, gets the same empty extras from the check",
        **{f"{where}: {change}": "sends more valid numbers from the fast path to the careful"
           " one, which accepts them as they are"
           for where, name in (("_number_or_text", "value"), ("_payoff", "amount"))
           for change in (f"{name} - {name} -> {name} + {name}", "0 -> 1",
                          f"-_FLOAT_LIMIT <= {name} <= _FLOAT_LIMIT -> -_FLOAT_LIMIT < {name}"
                          " <= _FLOAT_LIMIT",
                          f"-_FLOAT_LIMIT <= {name} <= _FLOAT_LIMIT -> -_FLOAT_LIMIT <= {name}"
                          " < _FLOAT_LIMIT",
                          "-_FLOAT_LIMIT -> _FLOAT_LIMIT")},
        "_payoff: kind is not str and (not (kind is float and amount - amou... -> kind is not"
        " str or not (kind is float and amount - amount...": "every amount goes the careful"
            " way, which keeps valid ones as they are",
        "_payoff: kind is float and amount - amount == 0 or (kind is int an... -> (kind is"
        " float and amount - amount == 0) and (kind is int...": "as above",
        "_payoff: delete for amount in value.values()": "as above",
        "_number_or_text: delete if kind is str or (kind is float and value - value == 0) ...":
            "every value goes the careful way, which keeps valid ones as they are",
        "_number_or_text: kind is str or (kind is float and value - value == 0) or ... -> kind"
        " is str and (kind is float and value - value == 0) an...": "as above",
    },
}

_SWAPPED_OPERATORS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
                      ast.FloorDiv: ast.Mult, ast.Mod: ast.Mult, ast.Pow: ast.Mult}
_CHANGED_COMPARISONS = {
    ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.GtE), ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt, ast.LtE), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
    ast.In: (ast.NotIn,), ast.NotIn: (ast.In,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
}
_LEFT_ALONE = (ast.Import, ast.ImportFrom, ast.Assert, ast.Global, ast.Nonlocal)
_NOT_DELETED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Pass, ast.Return)


@dataclass
class Mutant:
    number: int
    line: int
    ident: str
    source: str  # the whole module, mutated


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # "killed", "timeout" or "survived"


# ---- making mutants -------------------------------------------------------------------
def _short(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _is_docstring(statement: ast.stmt, body: list[ast.stmt]) -> bool:
    return (statement is body[0] and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))


def _changes(node: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """The (original, replacement) pairs that mutate this node itself."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _SWAPPED_OPERATORS:
        swapped = copy.copy(node)
        swapped.op = _SWAPPED_OPERATORS[type(node.op)]()
        return [(node, swapped)]
    if isinstance(node, ast.Compare):
        changed = []
        for i, op in enumerate(node.ops):
            for other in _CHANGED_COMPARISONS.get(type(op), ()):
                ops = list(node.ops)
                ops[i] = other()
                changed.append((node, ast.Compare(node.left, ops, node.comparators)))
        return changed
    if isinstance(node, ast.BoolOp):
        return [(node, ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(),
                                  node.values))]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        return [(node, node.operand)]
    if isinstance(node, ast.Constant) and type(node.value) is bool:
        return [(node, ast.Constant(not node.value))]
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        zero = [(node, ast.Constant(type(node.value)(0)))] if node.value != 0 else []
        return [(node, ast.Constant(node.value + 1))] + zero
    if isinstance(node, ast.Slice):
        return [(bound, ast.BinOp(bound, ast.Add(), ast.Constant(1)))
                for bound in (node.lower, node.upper)
                if bound is not None and not isinstance(bound, ast.Constant)]
    if isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        return [(node, ast.Return(value=ast.Constant(value=None)))]
    return []


class _Sites:
    """Every mutation of a module: (scope, original node, replacement node, change)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, ast.AST, ast.AST, str]] = []
        self.scope: list[str] = []
        self.in_function = 0

    def add(self, node: ast.AST, new: ast.AST, change: str | None = None) -> None:
        scope = ".".join(self.scope) or "<module>"
        self.found.append((scope, node, new, change or f"{_short(node)} -> {_short(new)}"))

    def body(self, statements: list[ast.stmt]) -> None:
        for statement in statements:
            if _is_docstring(statement, statements) or isinstance(statement, _LEFT_ALONE):
                continue
            if self.in_function and not isinstance(statement, _NOT_DELETED):
                compound = isinstance(statement, (ast.If, ast.For, ast.While, ast.With, ast.Try))
                shown = _short(statement).split(":")[0] if compound else _short(statement)
                self.add(statement, ast.Pass(), f"delete {shown}")
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.definition(statement)
            elif not (isinstance(statement, ast.If) and isinstance(statement.test, ast.Compare)
                      and ast.unparse(statement.test.left) == "__name__"):  # a script's start
                self.statement(statement)

    def definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        function = not isinstance(node, ast.ClassDef)
        self.scope.append(node.name)
        self.in_function += function
        for expression in node.decorator_list + (
                node.args.defaults + [d for d in node.args.kw_defaults if d] if function else []):
            self.expression(expression)
        self.body(node.body)
        self.in_function -= function
        self.scope.pop()

    def statement(self, node: ast.stmt) -> None:
        named = not self.scope and isinstance(node, (ast.Assign, ast.AnnAssign))
        if named:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            self.scope.append(_short(target))
        for old, new in _changes(node):
            self.add(old, new)
        for name, value in ast.iter_fields(node):
            if name == "annotation":
                continue
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                self.body(value)
            else:
                for item in value if isinstance(value, list) else [value]:
                    self.child(item)
        if named:
            self.scope.pop()

    def child(self, value: object) -> None:
        if isinstance(value, ast.Dict):
            self.entries(value)
        elif isinstance(value, ast.expr):
            self.expression(value)
        elif isinstance(value, ast.excepthandler):
            self.body(value.body)
        elif isinstance(value, (ast.comprehension, ast.keyword, ast.withitem)):
            for _, item in ast.iter_fields(value):
                for part in item if isinstance(item, list) else [item]:
                    self.child(part)

    def expression(self, node: ast.expr) -> None:
        for old, new in _changes(node):
            self.add(old, new)
        for _, value in ast.iter_fields(node):
            for item in value if isinstance(value, list) else [value]:
                self.child(item)

    def entries(self, node: ast.Dict) -> None:
        """A dict's keys and values; a value is named by its key: FUNCTIONS['abs']."""
        for key, value in zip(node.keys, node.values):
            self.child(key)
            labelled = isinstance(key, ast.Constant)
            if labelled:
                self.scope.append(f"{self.scope.pop() if self.scope else ''}[{_short(key)}]")
            self.child(value)
            if labelled:
                self.scope[-1] = self.scope[-1][:self.scope[-1].rindex("[")]


def _replace(tree: ast.Module, old: ast.AST, new: ast.AST) -> ast.Module:
    """A copy of `tree` with `old` (a node of `tree`) replaced by `new`."""
    memo: dict[int, ast.AST] = {}
    mutated = copy.deepcopy(tree, memo)
    target = memo[id(old)]
    for parent in ast.walk(mutated):
        for name, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, name, copy.deepcopy(new))
                return mutated
            if isinstance(value, list) and any(item is target for item in value):
                value[[id(item) for item in value].index(id(target))] = copy.deepcopy(new)
                return mutated
    raise LookupError("node not found")


def _splice(source: str, old: ast.AST, new: ast.AST) -> str:
    """`source` with the text of `old` replaced by `new`, the rest kept as written."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:  # columns count UTF-8 bytes
        return starts[line - 1] + len(lines[line - 1].encode()[:column].decode())

    text = ast.unparse(new)
    if isinstance(new, ast.expr):
        text = f"({text})"
    return (source[:offset(old.lineno, old.col_offset)] + text
            + source[offset(old.end_lineno, old.end_col_offset):])


def make_mutants(module: Path) -> list[Mutant]:
    source = module.read_text(encoding="utf-8")
    tree = ast.parse(source)
    sites = _Sites()
    sites.body(tree.body)
    mutants: list[Mutant] = []
    seen: dict[str, int] = {}
    for scope, old, new, change in sites.found:
        mutated = _replace(tree, old, new)
        wanted = ast.dump(mutated)
        if wanted == ast.dump(tree):
            continue
        text = _splice(source, old, new)
        try:
            spliced = ast.dump(ast.parse(text))
        except SyntaxError:
            spliced = None
        if spliced != wanted:  # positions inside f-strings are unreliable before 3.12
            text = ast.unparse(mutated)
        ident = f"{scope}: {change}"
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] > 1:
            ident += f" #{seen[ident]}"
        mutants.append(Mutant(len(mutants) + 1, old.lineno, ident, text))
    return mutants


# ---- running the tests ------------------------------------------------------------------
def _pytest_command(tests: list[str]) -> list[str]:
    command = [sys.executable, "-m", "pytest", "-x", "-q"]
    files = [ROOT / test.split("::")[0] for test in tests if not test.startswith("-")]
    if not any("gui" in file.parts for file in files):
        # importing Qt would double each run's time; its settings are then unknown options
        command += ["-p", "no:pytest-qt", "-W", "ignore::pytest.PytestConfigWarning"]
    if not any(file.is_file() and "hypothesis" in file.read_text(encoding="utf-8")
               for file in files):
        command += ["-p", "no:hypothesispytest"]
    return command + tests


def _run(command: list[str], workdir: Path, timeout: float) -> str:
    env = dict(os.environ, PYTHONPATH=str(workdir))
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return "timeout"
    return "survived" if code == 0 else "killed"


def _copy_repository(into: Path) -> Path:
    workdir = into / "repo"
    shutil.copytree(ROOT, workdir, ignore=shutil.ignore_patterns(
        ".git", ".hypothesis", "__pycache__", ".pytest_cache", "mutants"))
    return workdir


def run_module(module: str, tests: list[str], mutants: list[Mutant], jobs: int,
               quiet: bool) -> tuple[list[Outcome], float]:
    command = _pytest_command(tests)
    with tempfile.TemporaryDirectory(prefix="offramp-mutation-") as scratch:
        workdirs: queue.Queue[Path] = queue.Queue()
        for job in range(jobs):
            folder = Path(scratch) / str(job)
            folder.mkdir()
            workdirs.put(_copy_repository(folder))
        started = time.perf_counter()
        probe = workdirs.get()
        if _run(command, probe, 600) != "survived":
            sys.exit(f"the tests fail on the unchanged code: {' '.join(command[1:])}")
        workdirs.put(probe)
        baseline = time.perf_counter() - started
        timeout = 10 + 5 * baseline

        def attempt(mutant: Mutant) -> Outcome:
            workdir = workdirs.get()
            target = workdir / module
            compiled = Path(importlib.util.cache_from_source(str(target)))
            try:
                target.write_text(mutant.source, encoding="utf-8")
                compiled.unlink(missing_ok=True)  # a same-size edit in the same second
                status = _run(command, workdir, timeout)
            finally:
                shutil.copyfile(ROOT / module, target)
                compiled.unlink(missing_ok=True)
                workdirs.put(workdir)
            if not quiet:
                print({"killed": ".", "timeout": "T", "survived": "S"}[status], end="",
                      file=sys.stderr, flush=True)
            return Outcome(mutant, status)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(attempt, mutants))
        if not quiet:
            print(file=sys.stderr)
        return outcomes, time.perf_counter() - started


def report(module: str, tests: list[str], outcomes: list[Outcome], seconds: float,
           jobs: int, every_mutant: bool) -> float:
    marked = EQUIVALENT.get(module, {})
    total = len(outcomes)
    caught = [o for o in outcomes if o.status != "survived"]
    equivalent = [o for o in outcomes if o.status == "survived" and o.mutant.ident in marked]
    survivors = [o for o in outcomes if o.status == "survived" and o.mutant.ident not in marked]
    timeouts = sum(o.status == "timeout" for o in outcomes)
    score = len(caught) / max(1, total - len(equivalent))
    print(f"{module}  (tests: {' '.join(tests)})")
    print(f"  mutants {total}, killed {len(caught)} ({timeouts} by timeout),"
          f" equivalent {len(equivalent)}, survived {len(survivors)}")
    print(f"  score {len(caught)}/{total - len(equivalent)} = {score:.1%}"
          f"  in {seconds:.0f} s with {jobs} jobs")
    for outcome in caught:
        if outcome.mutant.ident in marked:
            print(f"  marked equivalent but caught, remove its mark: {outcome.mutant.ident}")
    known = {o.mutant.ident for o in outcomes}
    for ident in marked:
        if ident not in known and every_mutant:
            print(f"  marked equivalent but no such mutant (stale mark): {ident}")
    for outcome in survivors:
        print(f"  survived  #{outcome.mutant.number:<4} L{outcome.mutant.line:<4}"
              f" {outcome.mutant.ident}")
    return score


def show_diff(module: str, mutants: list[Mutant], number: int) -> None:
    [mutant] = [m for m in mutants if m.number == number] or [None]
    if mutant is None:
        sys.exit(f"{module} has mutants 1 to {len(mutants)}")
    original = (ROOT / module).read_text(encoding="utf-8").splitlines(keepends=True)
    print(mutant.ident)
    sys.stdout.writelines(difflib.unified_diff(
        original, mutant.source.splitlines(keepends=True), module, "mutant"))


def tests_for(module: str, named: list[str]) -> list[str]:
    tests = named or DEFAULT_TESTS.get(module, [])
    if not tests:
        sys.exit(f"name the tests to run for {module}")
    missing = [t for t in tests
               if not t.startswith("-") and not (ROOT / t.split("::")[0]).exists()]
    if missing:
        sys.exit(f"no such test file: {', '.join(missing)}")
    return tests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", nargs="?", help="e.g. offramp_gui/model/expressions.py;"
                        " all of DEFAULT_TESTS if left out")
    parser.add_argument("tests", nargs="*", help="test files (default: DEFAULT_TESTS)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, help="run this many mutants, chosen at random")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--list", action="store_true", help="list the mutants; run none")
    parser.add_argument("--diff", type=int, metavar="NUMBER", help="show one mutant's change")
    parser.add_argument("--quiet", action="store_true", help="no progress marks")
    options, pytest_options = parser.parse_known_args()
    if any(not option.startswith("--") for option in pytest_options):
        parser.error("give pytest options as --name=value")
    os.chdir(ROOT)
    scores = {}
    for module in [options.module] if options.module else list(DEFAULT_TESTS):
        module = Path(module).as_posix()
        if not (ROOT / module).is_file():
            sys.exit(f"no such module: {module}")
        mutants = make_mutants(ROOT / module)
        if options.diff is not None:
            return show_diff(module, mutants, options.diff)
        if options.list:
            for mutant in mutants:
                print(f"#{mutant.number:<4} L{mutant.line:<4} {mutant.ident}")
            print(f"{len(mutants)} mutants of {module}")
            continue
        every_mutant = not options.sample or options.sample >= len(mutants)
        if not every_mutant:
            mutants = sorted(random.Random(options.seed).sample(mutants, options.sample),
                             key=lambda m: m.number)
        tests = tests_for(module, options.tests + pytest_options if options.tests else [])
        outcomes, seconds = run_module(module, tests, mutants, options.jobs, options.quiet)
        scores[module] = report(module, tests, outcomes, seconds, options.jobs, every_mutant)
    for module, score in scores.items() if len(scores) > 1 else ():
        print(f"{score:7.1%}  {module}")


if __name__ == "__main__":
    main()
