"""tensorgraph.app: TensorFlow 1.x's ``tf.app.run`` and ``tf.app.flags``, for programs written
around them:

    flags = tf.app.flags
    flags.DEFINE_integer("batch_size", 100, "examples per step")
    FLAGS = flags.FLAGS

    def main(argv):
        print(FLAGS.batch_size)

    if __name__ == "__main__":
        tf.app.run()          # parses --batch_size=... from sys.argv, then sys.exit(main(rest))

As TensorFlow 1.x's (absl's flags underneath): `--name=value` or `--name value`, `--flag`/`--noflag`
for booleans, `--` ends the flags; reading a flag before any parsing parses sys.argv; an unknown
flag or a bad value ends app.run with a message and status 1, `--help` lists the flags.
"""
import sys as _sys

from . import _core


class _Flag:
    def __init__(self, name, default, help, parse, kind):
        self.name, self.default, self.help, self.parse, self.kind = name, default, help, parse, kind


def _boolean(text):
    t = str(text).lower()
    if t in ("true", "t", "1", "yes"):
        return True
    if t in ("false", "f", "0", "no"):
        return False
    raise ValueError(f"{text!r} is not a boolean (true or false)")


class FlagValues:
    """The defined flags and their values (tf.app.flags.FLAGS)."""

    def __init__(self):
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_parsed", False)

    def _define(self, name, default, help, parse, kind):
        if not isinstance(name, str) or not name.isidentifier():
            raise _core.ArgumentValueError(f"DEFINE_{kind}: {name!r} is not a flag name")
        if name in self._flags:
            raise _core.ArgumentValueError(f"DEFINE_{kind}: the flag --{name} is defined twice")
        try:
            value = None if default is None else parse(default)
        except ValueError as e:
            raise _core.ArgumentValueError(f"DEFINE_{kind}: the default of --{name}: {e}") from None
        self._flags[name] = _Flag(name, default, help, parse, kind)
        self._values[name] = value

    def __getattr__(self, name):
        if name not in self._flags:
            raise AttributeError(f"no flag --{name} is defined")
        if not self._parsed:
            self(_sys.argv, known_only=True)
        return self._values[name]

    def __setattr__(self, name, value):
        if name not in self._flags:
            raise AttributeError(f"no flag --{name} is defined")
        self._values[name] = value

    def __contains__(self, name):
        return name in self._flags

    def is_parsed(self):
        return self._parsed

    def flag_values_dict(self):
        return dict(self._values)

    def __call__(self, argv, known_only=False):
        """Sets the flags named in argv[1:]; returns argv[0] and the other arguments."""
        rest, args, i = [argv[0]] if argv else [], list(argv[1:]), 0
        while i < len(args):
            a = args[i]
            i += 1
            if a == "--":
                rest += args[i:]
                break
            if not a.startswith("-") or a == "-":
                rest.append(a)
                continue
            name, eq, text = a.lstrip("-").partition("=")
            flag = self._flags.get(name)
            if flag is None and name.startswith("no") and not eq and name[2:] in self._flags \
                    and self._flags[name[2:]].kind == "boolean":
                self._values[name[2:]] = False
                continue
            if flag is None:
                if known_only:
                    rest.append(a)
                    continue
                raise _core.ArgumentValueError(f"unknown flag {a.partition('=')[0]}")
            if not eq:
                if flag.kind == "boolean":
                    self._values[name] = True
                    continue
                if i == len(args):
                    raise _core.ArgumentValueError(f"flag --{name} needs a value")
                text, i = args[i], i + 1
            try:
                self._values[name] = flag.parse(text)
            except ValueError as e:
                raise _core.ArgumentValueError(f"flag --{name}: {e}") from None
        object.__setattr__(self, "_parsed", True)
        return rest

    def help_text(self):
        lines = [f"  --{f.name}: {f.help}\n    (default: {f.default!r})" for f in self._flags.values()]
        return "flags:\n" + "\n".join(lines) if lines else "no flags defined"


def _integer(text):
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not an integer")
    if isinstance(text, int):
        return text
    try:
        return int(str(text), 0)
    except ValueError:
        raise ValueError(f"{text!r} is not an integer") from None


def _float(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a number") from None


def _list(text):
    return list(text) if isinstance(text, (list, tuple)) else [s for s in str(text).split(",") if s]


class _Flags:
    """tf.app.flags: FLAGS and the DEFINE_ functions."""

    def __init__(self):
        self.FLAGS = FlagValues()

    def DEFINE_string(self, name, default, help):  # noqa: N802 (TensorFlow's names)
        self.FLAGS._define(name, default, help, str, "string")

    def DEFINE_integer(self, name, default, help):  # noqa: N802
        self.FLAGS._define(name, default, help, _integer, "integer")

    def DEFINE_float(self, name, default, help):  # noqa: N802
        self.FLAGS._define(name, default, help, _float, "float")

    def DEFINE_boolean(self, name, default, help):  # noqa: N802
        self.FLAGS._define(name, default, help, _boolean, "boolean")

    DEFINE_bool = DEFINE_boolean

    def DEFINE_list(self, name, default, help):  # noqa: N802
        self.FLAGS._define(name, default, help, _list, "list")


flags = _Flags()


def run(main=None, argv=None):
    """Parses the flags in argv (sys.argv if None), then ends the program with main(the rest)'s
    value (main: the __main__ module's `main` if None). A bad flag: the message, status 1."""
    argv = list(_sys.argv if argv is None else argv)
    if any(a in ("--help", "-h", "--helpfull") for a in argv[1:]):
        print(flags.FLAGS.help_text())
        _sys.exit(0)
    try:
        rest = flags.FLAGS(argv)
    except _core.ArgumentValueError as e:
        print(f"FATAL Flags parsing error: {e}", file=_sys.stderr)
        _sys.exit(1)
    main = main or _sys.modules["__main__"].main
    _sys.exit(main(rest))


__all__ = ["run", "flags"]
