-- The PostgreSQL store's statements, by name: the SQLite ones (sql/sqlite/queries.sql) ported —
-- %(name)s parameters, GREATEST for two-argument MAX, booleans, and a type on each parameter
-- tested for NULL (PostgreSQL cannot infer it from `IS NULL`). Every statement names the learner,
-- except through the class-wide readers (%(everyone)s), which reports use.

-- name: insert_attempt
-- The trigger count_attempt (001-initial.sql) counts it in its problem's row.
INSERT INTO attempts (uid, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at)
VALUES (%(uid)s, %(learner)s, %(pack)s, %(lesson)s, %(problem)s, %(seed)s, %(answer)s, %(correct)s, %(mistake)s,
        %(hints_used)s, %(seconds)s, %(at)s)
ON CONFLICT (uid) DO NOTHING
RETURNING id;

-- name: record_hint
INSERT INTO problems AS p (learner, pack, lesson, problem, hints_used, last_at)
VALUES (%(learner)s, %(pack)s, %(lesson)s, %(problem)s, %(hints_used)s, %(at)s)
ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET hints_used = GREATEST(p.hints_used, excluded.hints_used),
    last_at = excluded.last_at;

-- name: mark_revealed
INSERT INTO problems (learner, pack, lesson, problem, revealed, last_at)
VALUES (%(learner)s, %(pack)s, %(lesson)s, %(problem)s, TRUE, %(at)s)
ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET revealed = TRUE, last_at = excluded.last_at;

-- name: set_review
INSERT INTO problems (learner, pack, lesson, problem, box, due)
VALUES (%(learner)s, %(pack)s, %(lesson)s, %(problem)s, %(box)s, %(due)s)
ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET box = excluded.box, due = excluded.due;

-- name: set_position
INSERT INTO positions (learner, pack, lesson, problem, at) VALUES (%(learner)s, %(pack)s, %(lesson)s, %(problem)s, %(at)s)
ON CONFLICT (learner, pack) DO UPDATE SET lesson = excluded.lesson, problem = excluded.problem, at = excluded.at;

-- name: lesson_hash
SELECT content_hash FROM lessons WHERE learner = %(learner)s AND pack = %(pack)s AND lesson = %(lesson)s;

-- name: note_lesson
INSERT INTO lessons (learner, pack, lesson, content_hash, problem_count)
VALUES (%(learner)s, %(pack)s, %(lesson)s, %(content_hash)s, %(problem_count)s)
ON CONFLICT (learner, pack, lesson) DO UPDATE SET content_hash = excluded.content_hash,
    problem_count = excluded.problem_count;

-- name: lesson_changed
UPDATE lessons SET changed_at = %(at)s WHERE learner = %(learner)s AND pack = %(pack)s AND lesson = %(lesson)s;

-- name: complete_lesson
INSERT INTO lessons (learner, pack, lesson, completed_at) VALUES (%(learner)s, %(pack)s, %(lesson)s, %(at)s)
ON CONFLICT (learner, pack, lesson) DO UPDATE SET completed_at = COALESCE(lessons.completed_at, excluded.completed_at);

-- name: reset_attempts
DELETE FROM attempts WHERE learner = %(learner)s
    AND (%(pack)s::text IS NULL OR pack = %(pack)s) AND (%(lesson)s::text IS NULL OR lesson = %(lesson)s);

-- name: reset_problems
DELETE FROM problems WHERE learner = %(learner)s
    AND (%(pack)s::text IS NULL OR pack = %(pack)s) AND (%(lesson)s::text IS NULL OR lesson = %(lesson)s);

-- name: reset_lessons
DELETE FROM lessons WHERE learner = %(learner)s
    AND (%(pack)s::text IS NULL OR pack = %(pack)s) AND (%(lesson)s::text IS NULL OR lesson = %(lesson)s);

-- name: reset_positions
DELETE FROM positions WHERE learner = %(learner)s
    AND (%(pack)s::text IS NULL OR pack = %(pack)s) AND (%(lesson)s::text IS NULL OR lesson = %(lesson)s);

-- name: problem_states
SELECT learner, pack, lesson, problem, solved, solved_first_try, revealed, attempts, hints_used, box, due
FROM problems
WHERE (%(everyone)s OR learner = %(learner)s) AND (%(pack)s::text IS NULL OR pack = %(pack)s)
    AND (%(lesson)s::text IS NULL OR lesson = %(lesson)s)
ORDER BY learner, pack, lesson, problem;

-- name: last_position
SELECT lesson, problem FROM positions WHERE learner = %(learner)s AND pack = %(pack)s;

-- name: reviews
SELECT pack, lesson, problem, box, due FROM problems
WHERE learner = %(learner)s AND due IS NOT NULL AND (%(pack)s::text IS NULL OR pack = %(pack)s)
    AND (%(due_by)s::text IS NULL OR due <= %(due_by)s)
ORDER BY due, pack, lesson, problem;

-- name: lesson_summary
WITH keys AS (
    SELECT learner, pack, lesson FROM lessons
    WHERE (%(everyone)s OR learner = %(learner)s) AND (%(pack)s::text IS NULL OR pack = %(pack)s)
    UNION
    SELECT learner, pack, lesson FROM problems
    WHERE (%(everyone)s OR learner = %(learner)s) AND (%(pack)s::text IS NULL OR pack = %(pack)s)),
per_problem AS (
    SELECT learner, pack, lesson, COUNT(*) FILTER (WHERE solved) AS solved,
           COUNT(*) FILTER (WHERE attempts > 0) AS attempted,
           COUNT(*) FILTER (WHERE solved_first_try) AS first_try, SUM(attempts) AS attempts
    FROM problems WHERE (%(everyone)s OR learner = %(learner)s) GROUP BY learner, pack, lesson),
last AS (
    SELECT learner, pack, lesson, MAX(at) AS at FROM attempts
    WHERE (%(everyone)s OR learner = %(learner)s) GROUP BY learner, pack, lesson)
SELECT k.learner, k.pack, k.lesson, COALESCE(p.solved, 0), COALESCE(p.attempted, 0), COALESCE(p.first_try, 0),
       l.problem_count, COALESCE(p.attempts, 0), last.at, l.completed_at, l.changed_at, l.content_hash
FROM keys k
LEFT JOIN per_problem p USING (learner, pack, lesson)
LEFT JOIN lessons l USING (learner, pack, lesson)
LEFT JOIN last USING (learner, pack, lesson)
ORDER BY k.learner, k.pack, k.lesson;

-- name: attempts
SELECT id, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at FROM attempts
WHERE (%(everyone)s OR learner = %(learner)s) AND (%(pack)s::text IS NULL OR pack = %(pack)s)
    AND (%(lesson)s::text IS NULL OR lesson = %(lesson)s)
ORDER BY id;

-- name: learners
SELECT learner FROM attempts UNION SELECT learner FROM problems UNION SELECT learner FROM lessons
UNION SELECT learner FROM positions ORDER BY learner;

-- name: dump_attempts
SELECT id, uid, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at
FROM attempts WHERE (%(everyone)s OR learner = %(learner)s) ORDER BY id;

-- name: dump_problems
SELECT learner, pack, lesson, problem, solved, solved_first_try, revealed, attempts, hints_used, box, due, last_at
FROM problems WHERE (%(everyone)s OR learner = %(learner)s);

-- name: dump_lessons
SELECT learner, pack, lesson, content_hash, problem_count, changed_at, completed_at
FROM lessons WHERE (%(everyone)s OR learner = %(learner)s);

-- name: dump_positions
SELECT learner, pack, lesson, problem, at FROM positions WHERE (%(everyone)s OR learner = %(learner)s);

-- The class report's statements (tutor/progress/reading.py), besides dump_problems and dump_lessons: of the
-- attempts, only what its figures need, so that a class's hundreds of thousands of rows stay in the database.

-- name: report_mistakes
SELECT DISTINCT learner, pack, lesson, problem, mistake FROM attempts WHERE NOT correct AND mistake IS NOT NULL;

-- name: report_last_answers
SELECT learner, MAX(at) FROM attempts GROUP BY learner;

-- name: report_recent
SELECT learner, pack, lesson, problem, correct, mistake, at FROM attempts WHERE at >= %(since)s;
