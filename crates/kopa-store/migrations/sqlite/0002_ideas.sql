-- Ideas from members and residents, their supporters and threaded comments.
CREATE TABLE ideas (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    place_geojson TEXT,
    author_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    hidden_reason TEXT,
    merged_into INTEGER REFERENCES ideas(id),
    answer TEXT,
    answered_at TEXT,
    is_example BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX ideas_by_workspace ON ideas (workspace_id, created_at);

CREATE TABLE idea_supports (
    idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    supported_at TEXT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);

CREATE TABLE idea_comments (
    id INTEGER PRIMARY KEY,
    idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES idea_comments(id) ON DELETE CASCADE,
    author_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX idea_comments_by_idea ON idea_comments (idea_id, created_at);
