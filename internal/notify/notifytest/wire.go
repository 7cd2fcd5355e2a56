package notifytest

import (
	"crypto/rand"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/glacierd/glacierd/internal/notify"
)

// snsNamespace is the XML namespace of SNS API version 2010-03-31.
const snsNamespace = "http://sns.amazonaws.com/doc/2010-03-31/"

// maxBody bounds request bodies; SNS itself caps messages at 256 KiB.
const maxBody = 1 << 20

// publishResponse is the body of a successful Publish:
//
//	<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
//	  <PublishResult><MessageId>…</MessageId></PublishResult>
//	  <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
//	</PublishResponse>
type publishResponse struct {
	XMLName   xml.Name `xml:"PublishResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	MessageID string   `xml:"PublishResult>MessageId"`
	RequestID string   `xml:"ResponseMetadata>RequestId"`
}

// errorResponse is the body of a failed SNS request:
//
//	<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
//	  <Error><Type>Sender</Type><Code>NotFound</Code><Message>…</Message></Error>
//	  <RequestId>…</RequestId>
//	</ErrorResponse>
type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// serveSNS implements the SNS query-protocol Publish action on every path
// but /webhook.
func (s *Server) serveSNS(w http.ResponseWriter, r *http.Request) {
	reqID := newID()
	w.Header().Set("x-amzn-RequestId", reqID)
	if status, code := s.begin(); status != 0 {
		writeError(w, status, code, "injected failure", reqID)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "InvalidAction", "unsupported method "+r.Method, reqID)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "InvalidParameter", "Invalid parameter: request too large", reqID)
			return
		}
		writeError(w, http.StatusBadRequest, "MalformedQueryString", err.Error(), reqID)
		return
	}
	switch action := r.Form.Get("Action"); action {
	case "Publish":
	case "":
		writeError(w, http.StatusBadRequest, "MissingAction", "Missing Action parameter", reqID)
		return
	default:
		writeError(w, http.StatusBadRequest, "InvalidAction", "Unsupported action "+action, reqID)
		return
	}
	topic := r.Form.Get("TopicArn")
	if topic == "" {
		topic = r.Form.Get("TargetArn")
	}
	msg := r.Form.Get("Message")
	switch {
	case topic == "":
		writeError(w, http.StatusBadRequest, "InvalidParameter",
			"Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter", reqID)
		return
	case msg == "":
		writeError(w, http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Empty message", reqID)
		return
	case s.isRejected(topic):
		writeError(w, http.StatusNotFound, "NotFound", "Topic does not exist", reqID)
		return
	}
	id := newID()
	s.record(Message{
		Via: ViaSNS, Topic: topic, Subject: r.Form.Get("Subject"), Message: msg, MessageID: id,
		Header: r.Header.Clone(), Params: cloneValues(r.Form),
	})
	writeXML(w, http.StatusOK, publishResponse{Xmlns: snsNamespace, MessageID: id, RequestID: reqID})
}

// serveWebhook records a webhook POST. It answers 204 on success, the
// injected status (with an SNS error body) for FailNext, 404 for a rejected
// topic, 405 for other methods and 413 for bodies over 1 MiB.
func (s *Server) serveWebhook(w http.ResponseWriter, r *http.Request) {
	reqID := newID()
	if status, code := s.begin(); status != 0 {
		writeError(w, status, code, "injected failure", reqID)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	topic := r.Header.Get(notify.HeaderTopic)
	if s.isRejected(topic) {
		writeError(w, http.StatusNotFound, "NotFound", "Topic does not exist", reqID)
		return
	}
	s.record(Message{
		Via: ViaWebhook, Topic: topic, Subject: r.Header.Get(notify.HeaderSubject), Message: string(body),
		Header: r.Header.Clone(),
	})
	w.WriteHeader(http.StatusNoContent)
}

// writeError writes an SNS ErrorResponse; Type is Sender for 4xx statuses and
// Receiver otherwise.
func writeError(w http.ResponseWriter, status int, code, msg, reqID string) {
	typ := "Receiver"
	if status >= 400 && status < 500 {
		typ = "Sender"
	}
	writeXML(w, status, errorResponse{Xmlns: snsNamespace, Type: typ, Code: code, Message: msg, RequestID: reqID})
}

// writeXML writes v as an XML document with the given status.
func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b = append([]byte(xml.Header), b...)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// cloneValues deep-copies form values.
func cloneValues(v map[string][]string) map[string][]string {
	out := make(map[string][]string, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// newID returns a random version-4 UUID string, the format SNS uses for
// MessageId and RequestId.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
