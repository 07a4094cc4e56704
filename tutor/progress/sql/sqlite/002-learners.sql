-- Schema 2: a learner id in every key (several learners may share a file), and a unique id per
-- attempt (an attempt that waited in the outbox is stored once however often it is sent). A new
-- attempt counts itself in its problem's row (the trigger at the end): one statement records it, and
-- an attempt sent again, refused by its id, counts nothing.
-- The rows already in the file are the learner's who opens it first (:learner); ids are never
-- reused (AUTOINCREMENT), as in PostgreSQL.
CREATE TABLE attempts_2 (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    uid        TEXT    NOT NULL UNIQUE,
    learner    TEXT    NOT NULL,
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
INSERT INTO attempts_2 (id, uid, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at)
    SELECT id, lower(hex(randomblob(16))), :learner, pack, lesson, problem, seed, answer, correct, mistake,
           hints_used, seconds, at FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_2 RENAME TO attempts;
CREATE INDEX attempts_by_problem ON attempts (learner, pack, lesson, problem);

CREATE TABLE problems_2 (
    learner          TEXT    NOT NULL,
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
    PRIMARY KEY (learner, pack, lesson, problem)
);
INSERT INTO problems_2 SELECT :learner, * FROM problems;
DROP TABLE problems;
ALTER TABLE problems_2 RENAME TO problems;

CREATE TABLE lessons_2 (
    learner       TEXT NOT NULL,
    pack          TEXT NOT NULL,
    lesson        TEXT NOT NULL,
    content_hash  TEXT,
    problem_count INTEGER,
    changed_at    TEXT,
    completed_at  TEXT,
    PRIMARY KEY (learner, pack, lesson)
);
INSERT INTO lessons_2 SELECT :learner, * FROM lessons;
DROP TABLE lessons;
ALTER TABLE lessons_2 RENAME TO lessons;

CREATE TABLE positions_2 (
    learner TEXT NOT NULL,
    pack    TEXT NOT NULL,
    lesson  TEXT NOT NULL,
    problem TEXT,
    at      TEXT NOT NULL,
    PRIMARY KEY (learner, pack)
);
INSERT INTO positions_2 SELECT :learner, * FROM positions;
DROP TABLE positions;
ALTER TABLE positions_2 RENAME TO positions;

CREATE TRIGGER count_attempt AFTER INSERT ON attempts BEGIN
    -- First try: the first attempt is right and the answer was not revealed before it.
    INSERT INTO problems (learner, pack, lesson, problem, attempts, solved, solved_first_try, hints_used, last_at)
    VALUES (NEW.learner, NEW.pack, NEW.lesson, NEW.problem, 1, NEW.correct, NEW.correct, NEW.hints_used, NEW.at)
    ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET
        attempts = attempts + 1,
        solved_first_try = CASE WHEN attempts = 0 AND NOT revealed THEN excluded.solved_first_try
                                ELSE solved_first_try END,
        solved = MAX(solved, excluded.solved),
        hints_used = MAX(hints_used, excluded.hints_used),
        last_at = excluded.last_at;
END;
