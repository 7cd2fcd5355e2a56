// Package glacierselect is the Glacier Select engine: the select job's
// parameters (CSV input and output serialization, the SQL expression) and
// their validation, the SQL dialect that the Glacier Select reference defines
// (parsed with participle, then checked and compiled), and a streaming
// evaluator that reads CSV from an io.Reader and writes the selected records as
// CSV to an io.Writer with memory flat in the input's size.
//
// It knows no HTTP and no storage. Compile turns Params into a Query, refusing
// what AWS refuses before a job exists (an *InvalidError, which the service
// maps to InvalidParameterValueException); Query.Run evaluates it over one
// archive's bytes and fails with a *RecordError when the data cannot be
// evaluated (the job then fails).
package glacierselect
