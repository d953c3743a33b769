"""The correction a revisable report gets in revision 1 (one changed value)."""

from __future__ import annotations

import dataclasses
from typing import Any

# Licensing decisions exist in every format version and take part in no identity,
# so the corrected report still passes all its checks.
REVISED_FIELD = "t2_admin_license__decisions"


def revise_spec(spec: Any) -> Any:
    """A copy of `spec` with REVISED_FIELD raised by one (a blank becomes 1)."""
    fields = dict(spec.fields)
    fields[REVISED_FIELD] = (fields.get(REVISED_FIELD) or 0) + 1
    return dataclasses.replace(spec, fields=fields)
