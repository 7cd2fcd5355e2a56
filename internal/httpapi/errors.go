package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/glacierd/glacierd/internal/glacier"
)

// wireError is how one error kind appears on the wire.
type wireError struct {
	status int
	code   string
	typ    string // "Client" or "Server"
}

// wireErrors is the single domain-error → wire-error table. Statuses follow
// the Glacier developer guide's error table (api-error-responses), except
// InsufficientCapacityException, where the service model's 400 is used
// rather than the guide's 503 so SDKs do not retry it as a server fault.
var wireErrors = map[glacier.Kind]wireError{
	glacier.KindInternal:             {http.StatusInternalServerError, "ServiceUnavailableException", "Server"},
	glacier.KindUnavailable:          {http.StatusInternalServerError, "ServiceUnavailableException", "Server"},
	glacier.KindNotFound:             {http.StatusNotFound, "ResourceNotFoundException", "Client"},
	glacier.KindInvalidParameter:     {http.StatusBadRequest, "InvalidParameterValueException", "Client"},
	glacier.KindMissingParameter:     {http.StatusBadRequest, "MissingParameterValueException", "Client"},
	glacier.KindSerialization:        {http.StatusBadRequest, "SerializationException", "Client"},
	glacier.KindLimitExceeded:        {http.StatusBadRequest, "LimitExceededException", "Client"},
	glacier.KindAccessDenied:         {http.StatusForbidden, "AccessDeniedException", "Client"},
	glacier.KindPolicyEnforced:       {http.StatusBadRequest, "PolicyEnforcedException", "Client"},
	glacier.KindInsufficientCapacity: {http.StatusBadRequest, "InsufficientCapacityException", "Client"},
	glacier.KindRequestTimeout:       {http.StatusRequestTimeout, "RequestTimeoutException", "Client"},
	glacier.KindInvalidSignature:     {http.StatusForbidden, "InvalidSignatureException", "Client"},
	glacier.KindIncompleteSignature:  {http.StatusBadRequest, "IncompleteSignatureException", "Client"},
	glacier.KindUnrecognizedClient:   {http.StatusBadRequest, "UnrecognizedClientException", "Client"},
	glacier.KindMissingAuthToken:     {http.StatusBadRequest, "MissingAuthenticationTokenException", "Client"},
	glacier.KindConflict:             {http.StatusInternalServerError, "ServiceUnavailableException", "Server"},
	glacier.KindNotImplemented:       {http.StatusNotFound, "UnknownOperationException", "Client"},
}

// errorBody is Glacier's JSON error document.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Type    string `json:"type"`
}

// writeError sends err as a Glacier error response. Errors of a server kind
// are logged with the request ID and answered with a generic message; their
// text never reaches the client.
func writeError(w http.ResponseWriter, log *slog.Logger, requestID string, err error) wireError {
	kind := glacier.KindOf(err)
	we, ok := wireErrors[kind]
	if !ok {
		we = wireErrors[glacier.KindInternal]
	}
	msg := glacier.MessageOf(err)
	if we.typ == "Server" {
		log.Error("request failed", "request_id", requestID, "kind", kind.String(), "err", err)
		msg = "The service is temporarily unavailable; request ID " + requestID
		if kind == glacier.KindUnavailable && glacier.MessageOf(err) != "" {
			msg = glacier.MessageOf(err) + "; request ID " + requestID
		}
	}
	body, _ := json.Marshal(errorBody{Code: we.code, Message: msg, Type: we.typ})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", we.code)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(we.status)
	_, _ = w.Write(body)
	return we
}

// decodeJSON reads a JSON request body of at most limit bytes into v.
// A malformed or oversized body is a SerializationException; an empty body
// decodes to v's zero value.
func decodeJSON(r *http.Request, limit int64, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		if _, ok := errors.AsType[*glacier.Error](err); ok {
			return err
		}
		return glacier.Wrap(glacier.KindSerialization, err, "The request body could not be read")
	}
	if int64(len(b)) > limit {
		return glacier.Errorf(glacier.KindInvalidParameter, "The request body is larger than %d bytes", limit)
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return glacier.Errorf(glacier.KindSerialization, "The request body is not valid JSON for this operation: %s", jsonProblem(err))
	}
	return nil
}

// jsonProblem describes a decoding error in the request's own terms: the
// member and the value, never our Go types.
func jsonProblem(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field != "" {
			return fmt.Sprintf("the value of %s (%s) is out of range or of the wrong type", te.Field, te.Value)
		}
		return fmt.Sprintf("a JSON %s is not allowed here", te.Value)
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	return "malformed JSON"
}
