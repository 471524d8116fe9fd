from datetime import UTC, datetime

import pytest

from stacktune.fixes.versions import next_dotted, next_numbers

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (["001", "002", "093"], "094"),
        (["001", "001", "005"], "006"),  # duplicates and gaps
        (["9"], "10"),
        (["0099", "0003"], "0100"),
        (["1", "2"], "3"),
    ],
)
def test_sequences_continue_with_their_padding(existing: list[str], expected: str) -> None:
    assert next_numbers(existing, NOW) == [expected]


def test_timestamps_come_from_the_clock() -> None:
    assert next_numbers(["20240101000000", "20240301000000"], NOW) == ["20240501120000"]


def test_a_clock_behind_the_newest_timestamp_moves_past_it() -> None:
    assert next_numbers(["20250101000000"], NOW, 2) == ["20250101000001", "20250101000002"]


def test_several_versions_are_consecutive() -> None:
    assert next_numbers(["007"], NOW, 3) == ["008", "009", "010"]


def test_unix_seconds_stay_unix_seconds() -> None:
    assert next_numbers(["1500000000"], NOW) == [str(int(NOW.timestamp()))]


def test_empty_folders_use_the_tools_default() -> None:
    assert next_numbers([], NOW) == ["001"]
    assert next_numbers([], NOW, default="timestamp") == ["20240501120000"]


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], "1"),
        (["1", "2", "10"], "11"),
        (["007"], "008"),
        (["1.1", "1.10", "1.9"], "1.11"),
        (["1_2", "1_1"], "1_3"),
        (["2.0.9", "1.5"], "2.0.10"),
        (["20240101000000"], "20240501120000"),
    ],
)
def test_flyway_versions(existing: list[str], expected: str) -> None:
    assert next_dotted(existing, NOW) == expected
