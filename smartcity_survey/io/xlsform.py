"""XLSForm in and out: `read_xlsform` (pyxform-validated, mapped to the platform's question types, every
refusal naming sheet, row and construct) and `write_xlsform` (reads back to the same definition).
The supported subset is described in docs/questionnaires.md."""
from .xlsform_pyxform import FormError
from .xlsform_read import XLSFormResult, read_xlsform
from .xlsform_write import write_xlsform

__all__ = ["FormError", "XLSFormResult", "read_xlsform", "write_xlsform"]
