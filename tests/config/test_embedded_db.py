"""The embedded server's data directory: one made by the previous embedded server is moved aside, with a
message, and never deleted; its own is left alone."""

from config.embedded_db import SERVER_MARK, _retire_foreign_data_dir


def test_a_data_directory_from_the_previous_server_is_moved_aside_with_a_message(tmp_path, capsys):
    data_dir = tmp_path / "postgres"
    data_dir.mkdir()
    (data_dir / "PG_VERSION").write_text("16\n")
    (data_dir / "base").mkdir()
    _retire_foreign_data_dir(data_dir)
    assert not data_dir.exists()
    [retired] = tmp_path.glob("postgres-previous-*")
    assert (retired / "PG_VERSION").read_text() == "16\n"  # kept, not deleted
    message = capsys.readouterr().err
    assert "moved to" in message and str(retired) in message


def test_its_own_or_an_empty_directory_is_left_alone(tmp_path, capsys):
    own = tmp_path / "own"
    own.mkdir()
    (own / "PG_VERSION").write_text("18\n")
    (own / SERVER_MARK).touch()
    empty = tmp_path / "empty"
    empty.mkdir()
    for data_dir in (own, empty):
        _retire_foreign_data_dir(data_dir)
        assert data_dir.exists()
    assert list(tmp_path.glob("*-previous-*")) == []
    assert capsys.readouterr().err == ""
