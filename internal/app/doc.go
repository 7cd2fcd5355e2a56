// Package app wires the glacierd server together: it turns a Config (from
// flags and environment) into opened stores (through internal/storeset), a
// service, an HTTP server and background loops, and shuts them down again.
// cmd/glacierd is a thin shell around it, and the end-to-end tests boot the
// very same Main in-process. `glacierd migrate` lives in internal/migrate.
package app
