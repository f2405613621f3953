-- Rate limits kept in the database, so that they hold across restarts and servers: how many
-- times a key was counted for a limit in each fixed window.
CREATE TABLE rate_counts (
    limit_name TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (limit_name, key, window_start)
);
-- Windows long past are deleted as new ones start.
CREATE INDEX rate_counts_by_window ON rate_counts (window_start);
-- Browsers that signed in to an account before: they keep their own, narrower limit, so that
-- strangers guessing an account's password cannot lock its owner out.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX known_devices_by_user ON known_devices (user_id);
