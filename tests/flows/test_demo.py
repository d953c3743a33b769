"""`nianbao demo --again`: the second demo night crawls into the first one's store."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.demo import DATABASE_FILE, MARKER, prepare_data_dir
from storage.errors import UserError


def test_a_fresh_demo_empties_its_own_folder_and_again_keeps_it(tmp_path):
    folder = prepare_data_dir(tmp_path / "demo")
    (folder / DATABASE_FILE).write_bytes(b"stored by the first demo")
    assert prepare_data_dir(folder, again=True) == folder
    assert (folder / DATABASE_FILE).read_bytes() == b"stored by the first demo"
    prepare_data_dir(folder)
    assert sorted(path.name for path in folder.iterdir()) == [MARKER]


@pytest.mark.parametrize("setup", ["missing", "foreign", "never_crawled"])
def test_again_without_a_previous_demo_is_a_user_error(tmp_path, setup):
    folder = tmp_path / "demo"
    if setup == "foreign":
        folder.mkdir()
        (folder / DATABASE_FILE).write_bytes(b"someone else's")
    elif setup == "never_crawled":
        prepare_data_dir(folder)
    with pytest.raises(UserError, match="run `nianbao demo` first"):
        prepare_data_dir(folder, again=True)


def test_cli_demo_again_on_an_empty_folder_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--again", "--data-dir", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"nianbao: error: {tmp_path / 'none'} holds no demo run to repeat; run `nianbao demo` first"]
