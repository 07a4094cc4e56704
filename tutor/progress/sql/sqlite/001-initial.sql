-- Schema 1 (the first release): one learner per file.
CREATE TABLE attempts (
    id         INTEGER PRIMARY KEY,
    pack       TEXT    NOT NULL,
    lesson     TEXT    NOT NULL,
    problem    TEXT    NOT NULL,
    seed       INTEGER,
    answer     TEXT    NOT NULL,
    correct    INTEGER NOT NULL,
    mistake    TEXT,
    hints_used INTEGER NOT NULL DEFAULT 0,
    seconds    REAL    NOT NULL DEFAULT 0,
    at         TEXT    NOT NULL
);
CREATE INDEX attempts_by_problem ON attempts (pack, lesson, problem);
CREATE TABLE problems (
    pack             TEXT    NOT NULL,
    lesson           TEXT    NOT NULL,
    problem          TEXT    NOT NULL,
    solved           INTEGER NOT NULL DEFAULT 0,
    solved_first_try INTEGER NOT NULL DEFAULT 0,
    revealed         INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    hints_used       INTEGER NOT NULL DEFAULT 0,
    box              INTEGER NOT NULL DEFAULT 0,
    due              TEXT,
    last_at          TEXT,
    PRIMARY KEY (pack, lesson, problem)
);
CREATE TABLE lessons (
    pack          TEXT NOT NULL,
    lesson        TEXT NOT NULL,
    content_hash  TEXT,
    problem_count INTEGER,
    changed_at    TEXT,
    completed_at  TEXT,
    PRIMARY KEY (pack, lesson)
);
CREATE TABLE positions (
    pack    TEXT PRIMARY KEY,
    lesson  TEXT NOT NULL,
    problem TEXT,
    at      TEXT NOT NULL
);
