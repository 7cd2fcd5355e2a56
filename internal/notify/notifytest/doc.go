// Package notifytest provides an in-process fake Amazon SNS endpoint and
// webhook receiver for tests of glacierd's notification delivery.
//
// [NewServer] starts an httptest server that speaks the SNS Publish action as
// aws-sdk-go-v2 sends it (AWS query protocol: an
// application/x-www-form-urlencoded POST with Action=Publish,
// Version=2010-03-31, TopicArn, Message and optional Subject) and answers
// with the XML PublishResponse the SDK's deserializer expects, or with an SNS
// XML ErrorResponse. The same server records webhook POSTs sent to
// /webhook. Every accepted message is recorded; tests read them with
// [Server.Messages] or wait for them with [Server.Wait], and inject failures
// with [Server.FailNext], [Server.FailNextWith] and [Server.RejectTopic].
//
// The fake does not verify request signatures; it records the request
// headers so tests can check them. It holds no package-level mutable state.
package notifytest
