-- Schema 1 of a class's PostgreSQL database: the SQLite store's schema 2, table for table, trigger
-- for trigger (a new attempt counts itself in its problem's row).
-- Text is compared byte by byte (COLLATE "C"), as SQLite does, whatever the server's locale:
-- orderings and due-time comparisons come out the same on both backends.
CREATE TABLE attempts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid        TEXT COLLATE "C" NOT NULL UNIQUE,
    learner    TEXT COLLATE "C" NOT NULL,
    pack       TEXT COLLATE "C" NOT NULL,
    lesson     TEXT COLLATE "C" NOT NULL,
    problem    TEXT COLLATE "C" NOT NULL,
    seed       BIGINT,
    answer     TEXT COLLATE "C" NOT NULL,
    correct    BOOLEAN NOT NULL,
    mistake    TEXT COLLATE "C",
    hints_used INTEGER NOT NULL DEFAULT 0,
    seconds    DOUBLE PRECISION NOT NULL DEFAULT 0,
    at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX attempts_by_problem ON attempts (learner, pack, lesson, problem);

CREATE TABLE problems (
    learner          TEXT COLLATE "C" NOT NULL,
    pack             TEXT COLLATE "C" NOT NULL,
    lesson           TEXT COLLATE "C" NOT NULL,
    problem          TEXT COLLATE "C" NOT NULL,
    solved           BOOLEAN NOT NULL DEFAULT FALSE,
    solved_first_try BOOLEAN NOT NULL DEFAULT FALSE,
    revealed         BOOLEAN NOT NULL DEFAULT FALSE,
    attempts         INTEGER NOT NULL DEFAULT 0,
    hints_used       INTEGER NOT NULL DEFAULT 0,
    box              INTEGER NOT NULL DEFAULT 0,
    due              TEXT COLLATE "C",
    last_at          TEXT COLLATE "C",
    PRIMARY KEY (learner, pack, lesson, problem)
);

CREATE TABLE lessons (
    learner       TEXT COLLATE "C" NOT NULL,
    pack          TEXT COLLATE "C" NOT NULL,
    lesson        TEXT COLLATE "C" NOT NULL,
    content_hash  TEXT COLLATE "C",
    problem_count INTEGER,
    changed_at    TEXT COLLATE "C",
    completed_at  TEXT COLLATE "C",
    PRIMARY KEY (learner, pack, lesson)
);

CREATE TABLE positions (
    learner TEXT COLLATE "C" NOT NULL,
    pack    TEXT COLLATE "C" NOT NULL,
    lesson  TEXT COLLATE "C" NOT NULL,
    problem TEXT COLLATE "C",
    at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (learner, pack)
);

CREATE FUNCTION count_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- First try: the first attempt is right and the answer was not revealed before it.
    INSERT INTO problems AS p (learner, pack, lesson, problem, attempts, solved, solved_first_try, hints_used, last_at)
    VALUES (NEW.learner, NEW.pack, NEW.lesson, NEW.problem, 1, NEW.correct, NEW.correct, NEW.hints_used, NEW.at)
    ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET
        attempts = p.attempts + 1,
        solved_first_try = CASE WHEN p.attempts = 0 AND NOT p.revealed THEN NEW.correct ELSE p.solved_first_try END,
        solved = p.solved OR NEW.correct,
        hints_used = GREATEST(p.hints_used, NEW.hints_used),
        last_at = NEW.at;
    RETURN NULL;
END
$$;
CREATE TRIGGER count_attempt AFTER INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION count_attempt();
