-- What caches, summaries and audit trails look up as the data grows: the newest change to one
-- kind of record, every change to one record,
-- and the open ideas of a workspace in the order they were proposed.
CREATE INDEX audit_by_entity ON audit_events (workspace_id, entity, seq);
CREATE INDEX audit_by_record ON audit_events (entity, entity_id);
CREATE INDEX ideas_by_status ON ideas (workspace_id, status, created_at);
-- The API's cursor walks ideas by id, the open ones or all.
CREATE INDEX ideas_by_status_and_id ON ideas (workspace_id, status, id);
CREATE INDEX ideas_by_id ON ideas (workspace_id, id);

-- Points up to which the audit chain was found intact, so that pages that show the chain's
-- state check only what came after the newest one instead of every event ever written.
CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    checked_at TIMESTAMPTZ NOT NULL
);
