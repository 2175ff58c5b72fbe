-- A group's members_version changes, in the same transaction, with every change to its membership, whoever makes it
-- (GroupService, or SQL run by hand or by an ERP's provisioning script). The send path reads the version under the
-- conversation's row lock (ConversationStore.claimNextSeq and claimSeqs return it) and reuses a member list it read
-- before at the same version (GroupMembers), instead of reading every member of a large group for every message.
-- Versions come from a sequence, not from a counter: a sequence value is never handed out twice, even by a
-- transaction that rolls back, so a version can never come back with other members behind it.
CREATE SEQUENCE conversation_members_versions;

ALTER TABLE conversations ADD COLUMN members_version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION conversation_members_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversations SET members_version = nextval('conversation_members_versions')
    WHERE id IN (SELECT conversation_id FROM changed) AND kind = 'group';
    RETURN NULL;
END
$$;

-- Once per statement: creating a group of 1,000 members by one INSERT moves the version once.
CREATE TRIGGER conversation_members_added
    AFTER INSERT ON conversation_members REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION conversation_members_added_or_removed();

CREATE TRIGGER conversation_members_removed
    AFTER DELETE ON conversation_members REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION conversation_members_added_or_removed();

CREATE FUNCTION conversation_member_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversations SET members_version = nextval('conversation_members_versions')
    WHERE id IN (OLD.conversation_id, NEW.conversation_id) AND kind = 'group';
    RETURN NULL;
END
$$;

-- Only an UPDATE that names these columns fires it (the read markers' updates do not), and only a real move acts.
CREATE TRIGGER conversation_member_moved
    AFTER UPDATE OF conversation_id, user_id ON conversation_members
    FOR EACH ROW
    WHEN (OLD.conversation_id IS DISTINCT FROM NEW.conversation_id OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION conversation_member_moved();

-- Emptying the table moves every group's version.
CREATE FUNCTION conversation_members_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversations SET members_version = nextval('conversation_members_versions') WHERE kind = 'group';
    RETURN NULL;
END
$$;

CREATE TRIGGER conversation_members_truncated
    AFTER TRUNCATE ON conversation_members
    FOR EACH STATEMENT EXECUTE FUNCTION conversation_members_truncated();
