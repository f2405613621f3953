-- The meetings still to come and the count of those past are found by when they end, with
-- whether they are published, without reading every meeting the group ever held.
CREATE INDEX meetings_by_end ON meetings (workspace_id, ends_at, published);
-- The API's cursor walks meetings by id.
CREATE INDEX meetings_by_id ON meetings (workspace_id, id);
