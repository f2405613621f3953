-- Scenarios kept as the expected effect of what the group would build: edits to one
-- analysis's network, what they were found to change, and the initiative they belong to.
CREATE TABLE street_scenarios (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    analysis_id INTEGER NOT NULL REFERENCES street_analyses(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    edits_json TEXT NOT NULL,
    expected_json TEXT NOT NULL,
    initiative_id INTEGER REFERENCES initiatives(id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX street_scenarios_by_workspace ON street_scenarios (workspace_id, id);
CREATE INDEX street_scenarios_by_initiative ON street_scenarios (initiative_id);
