"""Privacy: what the store holds about one person (export), forgetting them (erasure, retention),
and what is sensitive (kept out of default views). Generic over the tables: any table that refers
to a client, directly or through another such table, is found from the schema's foreign keys."""
