"""The keyword table (io/render_keywords.hpp) is the CLI's flags and docs/python.md's table."""
import re

import earshot


def test_every_keyword_is_a_render_flag(cli):
    help_text = cli("render", "--help").stdout
    flags = set(re.findall(r"(--[a-z][a-z0-9-]*)", help_text))
    for k in earshot.keywords():
        flag = "--no-smearing" if k["key"] == "smearing" else k["flag"]
        assert flag in flags, f"{k['key']}: {flag} is not an option of earshot render"


def test_docs_table_lists_the_keywords(root):
    text = (root / "docs" / "python.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)`", text, flags=re.M))
    # listener is the third argument, format is render_file's only; level_measure is documented as level_ref
    expected = ({k["key"] for k in earshot.keywords()} - {"listener", "format", "level_measure"}) | {"level_ref"}
    assert documented == expected


def test_ranges_are_the_cli_ranges():
    rows = {k["key"]: k for k in earshot.keywords()}
    assert (rows["level_db_spl"]["min"], rows["level_db_spl"]["max"]) == (0.0, 130.0)
    assert (rows["limit_dbfs"]["min"], rows["limit_dbfs"]["max"]) == (-60.0, 0.0)
    assert "rms" in rows["level_measure"]["choices"]
