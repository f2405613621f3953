-- Each analysis of a workspace's street network, kept so that the score can be followed over
-- time: its source, its parameters, how far it got, and the figures lists read.
CREATE TABLE street_analyses (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    step TEXT,
    zones_done INTEGER NOT NULL DEFAULT 0,
    zones_total INTEGER,
    source TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_bytes INTEGER NOT NULL,
    data_as_of TEXT,
    parameters_json TEXT NOT NULL,
    figures_json TEXT,
    error TEXT,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX street_analyses_by_workspace ON street_analyses (workspace_id, id);
-- Every output of an analysis (layers, tables, the results the pages read), compressed.
CREATE TABLE street_analysis_files (
    analysis_id INTEGER NOT NULL REFERENCES street_analyses(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    gzip BLOB NOT NULL,
    PRIMARY KEY (analysis_id, name)
);
