-- Initiatives: typed by cooperation model, with their workflow history, milestones and the
-- ideas, meetings, decisions and organisations they are linked to.
CREATE TABLE cooperation_types (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (workspace_id, code)
);

CREATE TABLE initiatives (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT,
    cooperation_type TEXT NOT NULL,
    place_geojson TEXT,
    parent_id INTEGER REFERENCES initiatives(id),
    weight INTEGER NOT NULL DEFAULT 1,
    progress INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'idea',
    created_at TEXT NOT NULL,
    is_example BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX initiatives_by_workspace ON initiatives (workspace_id);

CREATE TABLE initiative_transitions (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_label TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX initiative_transitions_by_initiative ON initiative_transitions (initiative_id, at);

CREATE TABLE initiative_links (
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    PRIMARY KEY (initiative_id, kind, target_id)
);
