"""How a check looks inside a student's test: does it assert, what does it read, what does it hide.

A mutation-testing check sees only outcomes: the student's test passed here, failed there.
Outcomes alone cannot tell a test that asserts nothing from one that compares the wrong
things, or from one that asserts and then catches its own failure - and each needs a
different piece of advice. So the checks ask three more questions, and only ever use the
answers to pick the *true* explanation for an outcome they already saw:

* :func:`asserts_anything` - does the test's code hold an ``assert`` (or ``raise``, or an
  ``assert...`` method call) anywhere, including in functions of the student's own module
  that it calls? Read from the compiled code, so formatting and names do not matter;
* :func:`mentions` and :func:`reads_parameter` - does the code use a given global name
  (``expected_after``), or read a given argument (``old``) at all?
* :class:`SwallowWatch` - while the test runs, which exceptions passed through the test's own
  frame although the test then returned normally (a ``try``/``except`` that hid a failure)?
"""

from __future__ import annotations

import dis
import linecache
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import CodeType, FrameType, FunctionType

_ASSERTING_OPS = {"LOAD_ASSERTION_ERROR", "RAISE_VARARGS"}
_READING_OPS = {"LOAD_FAST", "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_FAST_CHECK"}
_MAX_DEPTH = 3
"""How deep :func:`asserts_anything` follows calls into the student's own helper functions."""


def _code_of(func: object) -> CodeType | None:
    code = getattr(func, "__code__", None)
    if code is None:  # a callable object: its __call__ method
        code = getattr(type(func).__dict__.get("__call__"), "__code__", None)
    return code if isinstance(code, CodeType) else None


def _codes(code: CodeType) -> Iterator[CodeType]:
    """``code`` and every code object nested in it (inner functions, lambdas, comprehensions)."""
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _codes(const)


def _own_helpers(func: object, code: CodeType) -> list[FunctionType]:
    """Functions of the student's own module that ``code`` names (helpers a test may call)."""
    module = getattr(func, "__module__", None)
    namespace = getattr(func, "__globals__", {})
    names = {name for inner in _codes(code) for name in inner.co_names}
    return [
        value
        for name in sorted(names)
        if isinstance(value := namespace.get(name), FunctionType)
        and value is not func
        and value.__module__ == module
    ]


def asserts_anything(func: object, _depth: int = 0) -> bool:
    """Whether the test's code can fail on purpose: ``assert``, ``raise`` or ``assert...()``.

    True when it cannot be read (a built-in, say): the check then makes no claim about it.
    """
    code = _code_of(func)
    if code is None:
        return True
    for inner in _codes(code):
        for op in dis.get_instructions(inner):
            if op.opname in _ASSERTING_OPS:
                return True
            if (
                isinstance(op.argval, str)
                and op.opname.startswith("LOAD_")
                and (op.argval.startswith("assert") or op.argval == "fail")
            ):
                return True  # self.assertEqual(...), pytest.fail(...)
    if _depth >= _MAX_DEPTH:
        return False
    return any(asserts_anything(helper, _depth + 1) for helper in _own_helpers(func, code))


def mentions(func: object, name: str) -> bool:
    """Whether the test (or a helper of its own module that it calls) uses the global ``name``."""
    code = _code_of(func)
    if code is None:
        return False
    if any(name in inner.co_names for inner in _codes(code)):
        return True
    return any(name in h.__code__.co_names for h in _own_helpers(func, code))


def reads_parameter(func: object, position: int) -> bool:
    """Whether the test ever reads its argument number ``position`` (0 for the first).

    True when it cannot tell (no readable code, or fewer parameters): no claim is made then.
    """
    code = _code_of(func)
    if code is None or position >= code.co_argcount:
        return True
    name = code.co_varnames[position]
    return any(
        op.opname in _READING_OPS and op.argval == name
        for inner in _codes(code)
        for op in dis.get_instructions(inner)
    )


@dataclass(frozen=True)
class Swallowed:
    """An exception that passed through the test's own frame: its type, message and line."""

    kind: str
    message: str
    line: str  # the source line the test was running, as written ('' if unknown)

    def __str__(self) -> str:
        text = f"{self.kind}: {self.message}" if self.message else self.kind
        return f"{text} at the line: {self.line}" if self.line else text


class SwallowWatch:
    """Records the exceptions that reach the test's own frame while it runs.

    Use :meth:`watching` around one run of the test. If the test then returns normally, every
    exception recorded was caught inside it: a ``try``/``except`` that hid what happened.
    """

    def __init__(self, test: Callable[..., object]) -> None:
        self.code = _code_of(test)
        self.seen: list[Swallowed] = []

    def _local(self, frame: FrameType, event: str, arg: object):
        if event == "exception":
            kind, value, _ = arg  # type: ignore[misc]
            line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
            message = str(value).strip().splitlines()[0] if str(value).strip() else ""
            seen = Swallowed(kind.__name__, message, line)
            if seen not in self.seen:
                self.seen.append(seen)
        return self._local

    def _global(self, frame: FrameType, event: str, arg: object):
        if event == "call" and frame.f_code is self.code:
            return self._local
        return None

    @contextmanager
    def watching(self) -> Iterator[list[Swallowed]]:
        """Trace only the test's own frame; the previous trace function is restored after."""
        self.seen = []
        if self.code is None:
            yield self.seen
            return
        previous = sys.gettrace()
        sys.settrace(self._global)
        try:
            yield self.seen
        finally:
            sys.settrace(previous)
