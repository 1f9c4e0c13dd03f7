"""Domain errors. The command line turns every `VetoError` into one line on stderr and exit 2."""


class VetoError(Exception):
    """A user mistake: bad input, an unknown record, a broken workflow rule."""


class InputError(VetoError):
    """A value that cannot be parsed or is outside what is accepted."""


class UnknownRecord(VetoError):
    """A reference (client code, id, name) that names nothing in the store."""


class WorkflowError(VetoError):
    """A change that would break the client workflow rules."""


class DuplicateRecord(VetoError):
    """A record that would clash with a unique one already stored."""


class DamagedStore(VetoError):
    """A store whose schema is not what its revision stamp says, and that cannot be repaired."""
