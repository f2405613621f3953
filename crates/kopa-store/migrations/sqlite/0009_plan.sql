-- The Integrated Action Plan. Each version's content is one JSON document (kopa_domain::plan::Plan);
-- a submitted version never changes again, and the newest unsubmitted one is the draft.
CREATE TABLE plan_versions (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    content_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    submitted_by INTEGER REFERENCES users(id),
    -- A submitted version the coordinators opened to everyone.
    published_at TEXT,
    UNIQUE (workspace_id, number)
);

-- Group members' comments on plan items, which keep their ids across versions.
CREATE TABLE plan_comments (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_comments_by_item ON plan_comments (workspace_id, item);

-- Those who read every partner city's submitted plans besides the lead partner's staff:
-- the network's lead expert, say.
CREATE TABLE network_readers (
    network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (network_id, user_id)
);
