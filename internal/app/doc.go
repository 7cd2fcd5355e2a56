// Package app wires glacierd together: it turns a Config (from flags and
// environment) into opened stores, a service, an HTTP server and background
// loops, and shuts them down again. It is the only package that imports the
// store implementations; cmd/glacierd is a thin shell around it, and the
// end-to-end tests boot the very same Main in-process.
package app
