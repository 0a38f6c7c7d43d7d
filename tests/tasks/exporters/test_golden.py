"""Golden files for every format on several configs. Each file was read and checked by hand
against the format's spec (what was checked: docs/export.md, "Golden files")."""

import pytest

from tests import factories

from .cases import CASES
from .conftest import build, check_golden, run_export

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

PARAMS = [(case, fmt) for case, (_, _, formats) in CASES.items() for fmt in formats]


@pytest.mark.parametrize(("case", "fmt"), PARAMS, ids=[f"{c}-{f}" for c, f in PARAMS])
def test_golden(case, fmt, media):
    config, make_tasks, _ = CASES[case]
    users = {"alice": factories.make_user("alice"), "bob": factories.make_user("bob")}
    project = build(config, make_tasks(media), users)
    check_golden(case, fmt, run_export(project, fmt))
