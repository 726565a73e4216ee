"""Named errors. Each carries a message code and parameters; the UI translates them."""


class CampaignError(Exception):
    """Base error: `code` is a translation key, `params` fill its placeholders."""

    code = "error.generic"

    def __init__(self, code: str | None = None, **params):
        self.code = code or self.code
        self.params = params
        super().__init__(f"{self.code} {params}" if params else self.code)

    def __reduce__(self):  # whole, with code and params (an import's worker process sends its errors back)
        return _restore, (type(self), self.__dict__, self.args)


def _restore(cls, state, args):
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = args
    return error


class NotFound(CampaignError):
    code = "error.not_found"


class AccessDenied(CampaignError):
    code = "error.access_denied"


class DayLocked(CampaignError):
    code = "error.day_locked"


class InvalidValue(CampaignError):
    code = "error.invalid_value"


class ImportStopped(CampaignError):
    """An import's worker process ended without an answer (e.g. out of memory): nothing was written."""

    code = "error.import_stopped"


class StaleData(CampaignError):
    """What a check outside the write lock relied on changed before the write: nothing was written."""

    code = "error.stale_data"


class RowError:
    """One bad row of an import or an entry grid: 1-based data row number, column, reason code."""

    def __init__(self, row: int, column: str, code: str, **params):
        self.row, self.column, self.code, self.params = row, column, code, params

    def __repr__(self):
        return f"RowError(row={self.row}, column={self.column!r}, code={self.code!r}, params={self.params})"

    def __eq__(self, other):
        return isinstance(other, RowError) and vars(self) == vars(other)

    def as_dict(self):
        return {"row": self.row, "column": self.column, "code": self.code, **self.params}


class RowsRejected(CampaignError):
    """A file or grid with bad rows: nothing was written. `errors` lists every bad row."""

    code = "error.rows_rejected"

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(count=len(errors))


class FileRejected(CampaignError):
    """The file as a whole cannot be read (type, size, missing columns)."""

    code = "error.file_rejected"
