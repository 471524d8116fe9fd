import json

import pytest
from pglast import parser

from stacktune.fixes.identifiers import qualified, quote_ident

HOSTILE = ["select", "user", "User Id", 'a"; DROP TABLE x; --', "int", "1abc", "Mixed", "名前", "a\nb"]


def parsed_relation(sql_name: str) -> dict:
    tree = json.loads(parser.parse_sql_json(f"SELECT 1 FROM {sql_name}"))
    return tree["stmts"][0]["stmt"]["SelectStmt"]["fromClause"][0]["RangeVar"]


@pytest.mark.parametrize("name", ["users", "task_id", "_x", "a1"])
def test_simple_lower_case_names_stay_bare(name: str) -> None:
    assert quote_ident(name) == name


@pytest.mark.parametrize("name", HOSTILE)
def test_every_other_name_is_quoted_and_parses_back_to_itself(name: str) -> None:
    quoted = quote_ident(name)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert parsed_relation(quoted)["relname"] == name


def test_column_name_keywords_are_quoted_too() -> None:
    assert quote_ident("int") == '"int"'
    assert quote_ident("between") == '"between"'


def test_qualified_leaves_public_to_search_path() -> None:
    assert qualified("public", "users") == "users"
    assert qualified(None, "Users") == '"Users"'
    rel = parsed_relation(qualified("Billing", 'in"voices'))
    assert (rel["schemaname"], rel["relname"]) == ("Billing", 'in"voices')


@pytest.mark.parametrize("name", ["", "a\x00b"])
def test_impossible_identifiers_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        quote_ident(name)
