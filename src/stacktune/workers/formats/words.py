"""Splitting a command line that no shell runs (compose strings, supervisord, systemd, Fly).

Those runners split words the POSIX-shell way without expanding anything (compose uses
shellwords, supervisord `shlex.split`), so the stdlib's POSIX shlex is their real tokenizer.
"""

from __future__ import annotations

import shlex

from stacktune.workers.model import Word


def split_words(value: str, continuation: bool = False) -> list[Word]:
    """Words of `value` with their source spans; raises ValueError on an unclosed quote.

    With `continuation`, a backslash-newline separates words (systemd reads it as a space).
    """
    text = value.replace("\\\n", "  ") if continuation else value
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[Word] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        token = lexer.get_token()
        if token is None:
            return words
        end = lexer.instream.tell()
        if end > position and end <= len(text) and text[end - 1].isspace() and end - 1 >= position + 1:
            end -= 1
        words.append(Word(token, position, end, value[position:end]))
        position = end
