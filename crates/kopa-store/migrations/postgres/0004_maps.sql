-- Each workspace's own base map (outline and streets, as JSON), drawn without a tile server.
CREATE TABLE workspace_maps (
    workspace_id BIGINT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    backdrop_json TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
