package glacierselect

import "fmt"

// InvalidError reports select parameters or SQL that AWS refuses before a job
// exists. The service maps it to InvalidParameterValueException with Message
// as the message.
type InvalidError struct {
	Message string
}

func (e *InvalidError) Error() string { return e.Message }

func invalidf(format string, args ...any) *InvalidError {
	return &InvalidError{Message: fmt.Sprintf(format, args...)}
}

// RecordError reports data that could not be read or evaluated while a query
// ran: the job fails with it. Record counts input records from 1, the header
// included.
type RecordError struct {
	Record  int64
	Message string
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("record %d: %s", e.Record, e.Message)
}
