-- An outbox entry lives for milliseconds: it is written with its message, read back by the relay and deleted. A
-- MessageCreated of a large group (1,000 recipient ids, about 9 KB) was compressed by PostgreSQL on the way in, for
-- nothing: 0.11 ms of PostgreSQL CPU per insert with compression against 0.02 ms stored out of line as it is
-- (docs/benchmarks.md, section 7, step 18). Small payloads are stored inline as before.
ALTER TABLE outbox_event ALTER COLUMN payload SET STORAGE EXTERNAL;
