-- Select jobs (issue 18): their parameters, output location, output path
-- and result keys, as one JSON object ('' for other jobs).
ALTER TABLE jobs ADD COLUMN select_job TEXT NOT NULL DEFAULT '';

-- RetrievalStats counts select jobs as archive retrievals.
DROP INDEX jobs_retrievals;
CREATE INDEX jobs_retrievals ON jobs (account, tier, created_at)
	INCLUDE (range_start, range_end) WHERE action IN ('ArchiveRetrieval', 'Select');
