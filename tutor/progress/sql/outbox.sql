-- The outbox (tutor/progress/outbox.py): writes a store could not make yet, oldest first. One file
-- in the data directory serves every store and learner of this machine; `store` names the database
-- a write is for (a file's full path, or a URL without its password).

-- name: schema
CREATE TABLE IF NOT EXISTS waiting (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    store   TEXT NOT NULL,
    learner TEXT NOT NULL,
    uid     TEXT NOT NULL UNIQUE,
    kind    TEXT NOT NULL,
    args    TEXT NOT NULL,
    kept_at TEXT NOT NULL
);

-- name: put
INSERT INTO waiting (store, learner, uid, kind, args, kept_at) VALUES (:store, :learner, :uid, :kind, :args, :kept_at);

-- name: waiting
SELECT uid, kind, args FROM waiting WHERE store = :store AND learner = :learner ORDER BY seq;

-- name: count
SELECT COUNT(*), COUNT(*) FILTER (WHERE kind = 'attempt') FROM waiting WHERE store = :store AND learner = :learner;

-- name: remove
DELETE FROM waiting WHERE uid = :uid;
