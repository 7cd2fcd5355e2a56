// Package engine copies the archives of a transfer journal from a Glacier
// vault to S3, and can be stopped at any moment and run again.
//
// A run loops until every archive is verified (or deleted, with
// DeleteAfterVerify) or has failed for good:
//
//   - it lists the vault's jobs (ListJobs) and moves requested archives
//     whose job succeeded to downloading, with the job's real expiry;
//   - it adopts, for pending archives, retrieval jobs that already exist
//     (a run killed between InitiateJob and the journal write), so it never
//     requests a retrieval that is still valid;
//   - it requests retrieval jobs for pending archives, oldest first, within
//     the bytes-per-day budget and the account's BytesPerHour policy;
//   - it renews jobs whose output window ends within RenewBefore;
//   - it copies ready archives, Concurrency at a time, one tree-hash-aligned
//     range at a time: each range is checked against its
//     x-amz-sha256-tree-hash and sent as one S3 part, and the journal records
//     the range's hash and the part's ETag in one transaction; the archive's
//     tree hash, composed from its ranges, must match the inventory's before
//     the multipart upload is completed;
//   - with DeleteAfterVerify it reads each verified object back (size,
//     metadata and a full tree hash) before DeleteArchive.
//
// Memory is bounded by the range size times Concurrency. When nothing
// progressed it waits, doubling the wait up to Poll.
package engine
