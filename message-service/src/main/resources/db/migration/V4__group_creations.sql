-- Who created which group when, for the bound on the groups one user creates (chat.message.groups.max-creations
-- within creation-window, GroupCreationLimit). Not a column of conversations: owner_id cannot serve (ownership passes
-- on when the owner leaves, so a user counted by it could create, leave and create again), and a new column with an
-- index on conversations would lock that table against every send while the index is built on a live system. A table
-- of its own is created empty, at once. Rows older than the window are deleted by the creator's next creation, so it
-- holds about one window's creations. Groups created before this version count for nobody.
CREATE TABLE group_creations (
    creator_id bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    group_id   bigint      NOT NULL
);

CREATE INDEX group_creations_by_creator ON group_creations (creator_id, created_at);
