-- Administration: site administrators, accounts and memberships that are switched off but
-- keep their records, invitations that are withdrawn, and one-time password reset links.
ALTER TABLE users ADD COLUMN site_admin BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
ALTER TABLE workspace_roles ADD COLUMN deactivated_at TEXT;
ALTER TABLE invitations ADD COLUMN revoked_at TEXT;
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
CREATE INDEX sessions_by_user ON sessions (user_id);
