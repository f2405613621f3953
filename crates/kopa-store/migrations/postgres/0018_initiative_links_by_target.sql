-- Which initiatives an idea (or a meeting, a decision, an organisation) led to.
CREATE INDEX initiative_links_by_target ON initiative_links (kind, target_id);
