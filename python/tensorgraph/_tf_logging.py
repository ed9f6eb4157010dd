"""tensorgraph.logging: TensorFlow 1.x's ``tf.logging``, on Python's logging module.

    tf.logging.set_verbosity(tf.logging.INFO)
    tf.logging.info("step %d: loss %.3f", step, loss)      # INFO:tensorgraph:step 10: loss 0.412

The logger is ``logging.getLogger("tensorgraph")`` (TensorFlow's is "tensorflow"), writing
"LEVEL:tensorgraph:message" lines to standard error, at WARN and above until set_verbosity says
otherwise, as TensorFlow 1.x does. The library's own messages do not go through it.
"""
import logging as _logging
import sys as _sys

from . import _core
from ._args import INT, checked

DEBUG, INFO, WARN, ERROR, FATAL = _logging.DEBUG, _logging.INFO, _logging.WARN, _logging.ERROR, _logging.FATAL


class _Stderr(_logging.StreamHandler):
    """Standard error as it is when a record is written (not when tensorgraph was imported), so that
    redirecting sys.stderr, as test runners do, redirects the log too."""

    def __init__(self):
        super().__init__()
        self.setFormatter(_logging.Formatter("%(levelname)s:%(name)s:%(message)s"))

    @property
    def stream(self):
        return _sys.stderr

    @stream.setter
    def stream(self, _):
        pass


_logger = _logging.getLogger("tensorgraph")
_logger.setLevel(WARN)
_logger.addHandler(_Stderr())
_logger.propagate = False
_counts = {}


def get_logger():
    """The Python logger behind these functions."""
    return _logger


@checked
def set_verbosity(v: INT):
    """Log records at level `v` (DEBUG 10, INFO 20, WARN 30, ERROR 40, FATAL 50) and above."""
    _logger.setLevel(v)


def get_verbosity():
    return _logger.getEffectiveLevel()


def log(level, msg, *args, **kwargs):
    _logger.log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    _logger.debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    _logger.info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    _logger.warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs):
    _logger.error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    """Logs at FATAL (CRITICAL); like TensorFlow 1.x's, it does not end the program."""
    _logger.critical(msg, *args, **kwargs)


vlog = log


def _site():
    frame = _sys._getframe(2)
    return frame.f_code.co_filename, frame.f_lineno


def log_every_n(level, msg, n, *args):
    """Logs the 1st, (n+1)-th, (2n+1)-th ... time this line is reached."""
    if not isinstance(n, int) or n < 1:
        raise _core.ArgumentValueError(f"log_every_n: n must be an int of at least 1, got {n!r}")
    site = _site()
    count = _counts.get(site, 0)
    _counts[site] = count + 1
    if count % n == 0:
        _logger.log(level, msg, *args)


def log_first_n(level, msg, n, *args):
    """Logs the first n times this line is reached."""
    site = _site()
    count = _counts.get(site, 0)
    _counts[site] = count + 1
    if count < n:
        _logger.log(level, msg, *args)


def log_if(level, msg, condition, *args):
    if condition:
        _logger.log(level, msg, *args)


def flush():
    for h in _logger.handlers:
        h.flush()


__all__ = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "get_logger", "set_verbosity", "get_verbosity", "log",
           "debug", "info", "warning", "warn", "error", "fatal", "vlog", "log_every_n", "log_first_n", "log_if",
           "flush"]
