-- The SQLite store's statements, by name (tutor/progress/sqlite.py runs them; store.py says when).
-- Every statement names the learner: one learner never reads or writes another's rows, except
-- through the class-wide readers (:everyone), which reports use.

-- name: insert_attempt
-- The trigger count_attempt (002-learners.sql) counts it in its problem's row.
INSERT INTO attempts (uid, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at)
VALUES (:uid, :learner, :pack, :lesson, :problem, :seed, :answer, :correct, :mistake, :hints_used, :seconds, :at)
ON CONFLICT (uid) DO NOTHING
RETURNING id;

-- name: record_hint
INSERT INTO problems (learner, pack, lesson, problem, hints_used, last_at)
VALUES (:learner, :pack, :lesson, :problem, :hints_used, :at)
ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET hints_used = MAX(hints_used, excluded.hints_used),
    last_at = excluded.last_at;

-- name: mark_revealed
INSERT INTO problems (learner, pack, lesson, problem, revealed, last_at) VALUES (:learner, :pack, :lesson, :problem, 1, :at)
ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET revealed = 1, last_at = excluded.last_at;

-- name: set_review
INSERT INTO problems (learner, pack, lesson, problem, box, due) VALUES (:learner, :pack, :lesson, :problem, :box, :due)
ON CONFLICT (learner, pack, lesson, problem) DO UPDATE SET box = excluded.box, due = excluded.due;

-- name: set_position
INSERT INTO positions (learner, pack, lesson, problem, at) VALUES (:learner, :pack, :lesson, :problem, :at)
ON CONFLICT (learner, pack) DO UPDATE SET lesson = excluded.lesson, problem = excluded.problem, at = excluded.at;

-- name: lesson_hash
SELECT content_hash FROM lessons WHERE learner = :learner AND pack = :pack AND lesson = :lesson;

-- name: note_lesson
INSERT INTO lessons (learner, pack, lesson, content_hash, problem_count)
VALUES (:learner, :pack, :lesson, :content_hash, :problem_count)
ON CONFLICT (learner, pack, lesson) DO UPDATE SET content_hash = excluded.content_hash,
    problem_count = excluded.problem_count;

-- name: lesson_changed
UPDATE lessons SET changed_at = :at WHERE learner = :learner AND pack = :pack AND lesson = :lesson;

-- name: complete_lesson
INSERT INTO lessons (learner, pack, lesson, completed_at) VALUES (:learner, :pack, :lesson, :at)
ON CONFLICT (learner, pack, lesson) DO UPDATE SET completed_at = COALESCE(completed_at, excluded.completed_at);

-- name: reset_attempts
DELETE FROM attempts WHERE learner = :learner
    AND (:pack IS NULL OR pack = :pack) AND (:lesson IS NULL OR lesson = :lesson);

-- name: reset_problems
DELETE FROM problems WHERE learner = :learner
    AND (:pack IS NULL OR pack = :pack) AND (:lesson IS NULL OR lesson = :lesson);

-- name: reset_lessons
DELETE FROM lessons WHERE learner = :learner
    AND (:pack IS NULL OR pack = :pack) AND (:lesson IS NULL OR lesson = :lesson);

-- name: reset_positions
DELETE FROM positions WHERE learner = :learner
    AND (:pack IS NULL OR pack = :pack) AND (:lesson IS NULL OR lesson = :lesson);

-- name: problem_states
SELECT learner, pack, lesson, problem, solved, solved_first_try, revealed, attempts, hints_used, box, due
FROM problems
WHERE (:everyone OR learner = :learner) AND (:pack IS NULL OR pack = :pack) AND (:lesson IS NULL OR lesson = :lesson)
ORDER BY learner, pack, lesson, problem;

-- name: last_position
SELECT lesson, problem FROM positions WHERE learner = :learner AND pack = :pack;

-- name: reviews
-- Ties (the same due time) in key order: the same on every backend.
SELECT pack, lesson, problem, box, due FROM problems
WHERE learner = :learner AND due IS NOT NULL AND (:pack IS NULL OR pack = :pack) AND (:due_by IS NULL OR due <= :due_by)
ORDER BY due, pack, lesson, problem;

-- name: lesson_summary
WITH keys AS (
    SELECT learner, pack, lesson FROM lessons WHERE (:everyone OR learner = :learner) AND (:pack IS NULL OR pack = :pack)
    UNION
    SELECT learner, pack, lesson FROM problems WHERE (:everyone OR learner = :learner) AND (:pack IS NULL OR pack = :pack)),
per_problem AS (
    SELECT learner, pack, lesson, SUM(solved) AS solved, SUM(attempts > 0) AS attempted,
           SUM(solved_first_try) AS first_try, SUM(attempts) AS attempts
    FROM problems WHERE (:everyone OR learner = :learner) GROUP BY learner, pack, lesson),
last AS (
    SELECT learner, pack, lesson, MAX(at) AS at FROM attempts
    WHERE (:everyone OR learner = :learner) GROUP BY learner, pack, lesson)
SELECT k.learner, k.pack, k.lesson, COALESCE(p.solved, 0), COALESCE(p.attempted, 0), COALESCE(p.first_try, 0),
       l.problem_count, COALESCE(p.attempts, 0), last.at, l.completed_at, l.changed_at, l.content_hash
FROM keys k
LEFT JOIN per_problem p USING (learner, pack, lesson)
LEFT JOIN lessons l USING (learner, pack, lesson)
LEFT JOIN last USING (learner, pack, lesson)
ORDER BY k.learner, k.pack, k.lesson;

-- name: attempts
SELECT id, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at FROM attempts
WHERE (:everyone OR learner = :learner) AND (:pack IS NULL OR pack = :pack) AND (:lesson IS NULL OR lesson = :lesson)
ORDER BY id;

-- name: learners
SELECT learner FROM attempts UNION SELECT learner FROM problems UNION SELECT learner FROM lessons
UNION SELECT learner FROM positions ORDER BY learner;

-- name: dump_attempts
SELECT id, uid, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at
FROM attempts WHERE (:everyone OR learner = :learner) ORDER BY id;

-- name: dump_problems
SELECT learner, pack, lesson, problem, solved, solved_first_try, revealed, attempts, hints_used, box, due, last_at
FROM problems WHERE (:everyone OR learner = :learner);

-- name: dump_lessons
SELECT learner, pack, lesson, content_hash, problem_count, changed_at, completed_at
FROM lessons WHERE (:everyone OR learner = :learner);

-- name: dump_positions
SELECT learner, pack, lesson, problem, at FROM positions WHERE (:everyone OR learner = :learner);

-- name: load_attempts
INSERT INTO attempts (id, uid, learner, pack, lesson, problem, seed, answer, correct, mistake, hints_used, seconds, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: load_problems
-- After the attempts, whose trigger made these rows: the copy's own values replace what it counted.
INSERT OR REPLACE INTO problems (learner, pack, lesson, problem, solved, solved_first_try, revealed, attempts, hints_used, box,
                      due, last_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: load_lessons
INSERT INTO lessons (learner, pack, lesson, content_hash, problem_count, changed_at, completed_at)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: load_positions
INSERT INTO positions (learner, pack, lesson, problem, at) VALUES (?, ?, ?, ?, ?);

-- The class report's statements (tutor/progress/reading.py), besides dump_problems and dump_lessons: of the
-- attempts, only what its figures need, so that a class's hundreds of thousands of rows stay in the database.

-- name: report_mistakes
SELECT DISTINCT learner, pack, lesson, problem, mistake FROM attempts WHERE NOT correct AND mistake IS NOT NULL;

-- name: report_last_answers
SELECT learner, MAX(at) FROM attempts GROUP BY learner;

-- name: report_recent
SELECT learner, pack, lesson, problem, correct, mistake, at FROM attempts WHERE at >= :since;
