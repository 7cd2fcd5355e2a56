package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/glacierd/glacierd/internal/glacier"
)

// unavailableMessage is the client-visible message of an error of
// KindUnavailable caused by the database.
const unavailableMessage = "the metadata database (PostgreSQL) is unreachable"

// SQLSTATE codes the store acts on.
const (
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeUniqueViolation      = "23505"
	codeTooManyConnections   = "53300"
	codeAdminShutdown        = "57P01"
	codeCrashShutdown        = "57P02"
	codeCannotConnectNow     = "57P03"
	classConnectionException = "08"
)

// dbErr wraps a database error for the caller: an unreachable or restarting
// server is KindUnavailable, a uniqueness violation KindConflict, anything
// else internal. It returns nil for nil.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	werr := fmt.Errorf("postgres: %s: %w", op, err)
	switch {
	case isUnavailable(err):
		return glacier.Wrap(glacier.KindUnavailable, werr, unavailableMessage)
	case sqlState(err) == codeUniqueViolation:
		return glacier.Wrap(glacier.KindConflict, werr, "the record already exists")
	}
	return werr
}

// sqlState returns the SQLSTATE of the first PostgreSQL error in err's
// chain, or "".
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isConflict reports whether err is a serialization failure or a deadlock:
// PostgreSQL rolled the transaction back and running it again may succeed.
func isConflict(err error) bool {
	code := sqlState(err)
	return code == codeSerializationFailure || code == codeDeadlockDetected
}

// isUnavailable reports whether err means that the server cannot be reached
// or is going away: a refused, reset or timed-out connection, a connection
// exception (class 08), a shutdown (57P01..57P03), no free connection slot,
// or a deadline reached while connecting or waiting for the pool. A caller's
// cancellation is not unavailability, nor is an error the server answered
// to a connection attempt (bad password, missing database).
func isUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if code := sqlState(err); code != "" {
		switch code {
		case codeAdminShutdown, codeCrashShutdown, codeCannotConnectNow, codeTooManyConnections:
			return true
		}
		return strings.HasPrefix(code, classConnectionException)
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), pgconn.Timeout(err):
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, pgconn.ErrConnClosed):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true // the server closed the connection
	}
	return false
}
